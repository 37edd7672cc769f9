package org.unicom4j.kernels.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits a loop over [0, n) into contiguous chunks, one per thread at most: the calling thread runs the first
 * chunk and {@code threads - 1} resident worker threads the others. It runs the loop inline when the work is too
 * small to be worth a hand-off, when called from one of its own workers, or when another thread is using the
 * workers at that moment.
 *
 * <p>A hand-off allocates nothing (the workers and their slots exist from the start; waking and waiting are
 * {@link LockSupport} park/unpark), so a kernel whose body is allocated once allocates nothing per call on any
 * number of threads. Workers spin briefly before parking, because kernel calls come in quick succession.
 */
public final class ParallelLoop {
    /** The body of a loop over [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Spin iterations before a worker parks (a few microseconds): the next kernel call usually comes sooner. */
    private static final int SPINS = 1 << 10;

    private final int threads;
    private final Worker[] workers;
    /** Held by the thread whose loop the workers are running. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Chunks of the running loop not yet finished by the workers. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean shutdown;

    public ParallelLoop(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs body over [0, n) in at most {@code threads} chunks; {@code workPerItem} (rough flops per item)
     * decides whether splitting pays off. An exception thrown by any chunk is rethrown here once every chunk
     * has ended.
     */
    public void forRange(int n, long workPerItem, Range body) {
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min(threads, Math.max(1, (n * Math.max(1, workPerItem)) / 32_768));
        chunks = Math.min(chunks, n);
        if (chunks <= 1 || Thread.currentThread() instanceof Worker w && w.loop() == this
                || !busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            runShared(n, chunks, body);
        } finally {
            busy.set(false);
        }
    }

    private void runShared(int n, int chunks, Range body) {
        if (shutdown) {
            throw new IllegalStateException("the CPU backend's thread pool has been shut down");
        }
        caller = Thread.currentThread();
        failure = null;
        pending.set(chunks - 1);
        for (int p = 1; p < chunks; p++) {
            workers[p - 1].hand(body, (int) ((long) n * p / chunks), (int) ((long) n * (p + 1) / chunks));
        }
        Throwable own = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (Throwable t) {
            own = t;
        }
        while (pending.get() != 0) {
            LockSupport.park(this);
        }
        caller = null;
        Throwable t = own != null ? own : failure;
        failure = null;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException("a parallel loop's chunk failed: " + t, t);
        }
    }

    /** Stops the workers (they finish the chunk they run); later parallel loops fail. */
    public void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** A resident thread that runs the chunks handed to its slot. */
    private final class Worker extends Thread {
        private volatile Range body;
        private int from, to;

        Worker(int index) {
            super("unicom4j-cpu-" + index);
            setDaemon(true); // an unclosed backend must not keep the JVM alive
        }

        ParallelLoop loop() {
            return ParallelLoop.this;
        }

        /** Gives this worker a chunk; the volatile write of body publishes from and to. */
        void hand(Range work, int start, int end) {
            from = start;
            to = end;
            body = work;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (!shutdown) {
                Range work = awaitWork();
                if (work == null) {
                    continue;
                }
                body = null;
                try {
                    work.run(from, to);
                } catch (Throwable t) {
                    failure = t;
                }
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }

        private Range awaitWork() {
            for (int i = 0; i < SPINS; i++) {
                Range work = body;
                if (work != null) {
                    return work;
                }
                Thread.onSpinWait();
            }
            Range work = body;
            if (work == null) {
                LockSupport.park(this);
                work = body;
            }
            return work;
        }
    }
}
