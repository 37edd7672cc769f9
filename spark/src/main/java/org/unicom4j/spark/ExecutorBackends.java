package org.unicom4j.spark;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.TaskContext;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.kernels.cpu.CpuBackend;

/**
 * Backends opened once per executor JVM and lent to one task at a time: a task borrows one for its partition and
 * gives it back, so an executor running c tasks at once holds c backends, opened on first use and kept for the
 * JVM's life (a device context or a model costs seconds to set up). The {@code cpu} backend gets the task's
 * {@code spark.task.cpus} threads, so tasks do not oversubscribe the executor's cores.
 */
public final class ExecutorBackends {
    private static final Map<String, Queue<Backend>> IDLE = new ConcurrentHashMap<>();

    private ExecutorBackends() {
    }

    /** A backend lent to the caller until {@link Lease#close()}. */
    public record Lease(String name, Backend backend) implements AutoCloseable {
        @Override
        public void close() {
            IDLE.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>()).add(backend);
        }
    }

    public static Lease borrow(String name) {
        Backend idle = IDLE.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>()).poll();
        return new Lease(name, idle != null ? idle : open(name));
    }

    private static Backend open(String name) {
        if (name.equals("cpu")) {
            TaskContext task = TaskContext.get();
            return new CpuBackend(task == null ? Runtime.getRuntime().availableProcessors() : Math.max(1,
                    task.cpus()));
        }
        return Backends.open(name);
    }
}
