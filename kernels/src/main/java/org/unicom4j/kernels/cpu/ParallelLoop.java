package org.unicom4j.kernels.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits a loop over [0, n) into contiguous chunks run on the backend's fork-join pool, one chunk per
 * thread at most, and runs it inline when the work is too small to be worth a hand-off.
 */
public final class ParallelLoop {
    /** The body of a loop over [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private final ForkJoinPool pool;
    private final int threads;

    public ParallelLoop(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs body over [0, n) in at most {@code threads} chunks; {@code workPerItem} (rough flops per item)
     * decides whether splitting pays off.
     */
    public void forRange(int n, long workPerItem, Range body) {
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min(threads, Math.max(1, (n * Math.max(1, workPerItem)) / 32_768));
        chunks = Math.min(chunks, n);
        if (chunks <= 1 || pool == null || ForkJoinTask.getPool() == pool) {
            body.run(0, n);
            return;
        }
        final int parts = chunks;
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                RecursiveAction[] tasks = new RecursiveAction[parts];
                for (int p = 0; p < parts; p++) {
                    int from = (int) ((long) n * p / parts), to = (int) ((long) n * (p + 1) / parts);
                    tasks[p] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.run(from, to);
                        }
                    };
                }
                invokeAll(tasks);
            }
        });
    }

    public void shutdown() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
