package org.unicom4j.spark;

import org.apache.spark.TaskContext;

/**
 * A test-only switch that makes the first attempt of one task fail, to check that Spark's retry changes nothing in
 * the output. Set the system property {@value #PROPERTY} to {@code STEP:PARTITION} (in local mode the executors
 * are the driver's JVM); unset, it costs one property read per task.
 */
public final class InjectedFailure {
    public static final String PROPERTY = "unicom4j.spark.failFirstAttempt";

    private InjectedFailure() {
    }

    /** Throws when this is the first attempt of partition PARTITION's task at step {@code step}. */
    public static void maybeThrow(String step) {
        String target = System.getProperty(PROPERTY);
        TaskContext task = TaskContext.get();
        if (target != null && task != null && task.attemptNumber() == 0
                && target.equals(step + ":" + task.partitionId())) {
            throw new IllegalStateException("injected failure: first attempt of " + target);
        }
    }
}
