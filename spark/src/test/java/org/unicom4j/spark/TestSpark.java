package org.unicom4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The tests' one Spark session: two local cores, two attempts per task (so an injected failure is retried). */
public final class TestSpark {
    private TestSpark() {
    }

    public static SparkSession session() {
        return SparkSessions.local("local[2,2]", "unicom4j-tests");
    }

    public static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    /** Runs {@code body} with the first attempt of {@code step}'s task on {@code partition} failing. */
    public static <T> T withFailedFirstAttempt(String step, int partition, ThrowingSupplier<T> body) throws Exception {
        System.setProperty(InjectedFailure.PROPERTY, step + ":" + partition);
        try {
            return body.get();
        } finally {
            System.clearProperty(InjectedFailure.PROPERTY);
        }
    }

    @FunctionalInterface
    public interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
