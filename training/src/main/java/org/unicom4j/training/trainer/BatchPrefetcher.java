package org.unicom4j.training.trainer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.unicom4j.data.loader.EpochOrder;

/**
 * Builds a trainer's host batches ahead of time: {@link #take(long)} hands out step {@code s}'s batch and queues
 * steps {@code s+1 .. s+depth} (never past the last step) for the background threads, so they are decoded and
 * augmented while the backend runs step {@code s}. A step whose batch is not ready yet helps build it rather than
 * only waiting. The epoch order and every image's augmentation are functions of (seed, epoch, index), so the
 * batches are the same whether built ahead or not, by any number of threads.
 *
 * <p>Asking for any other step than the queue's next (a restored position, or a retry after a failed step)
 * discards what was built ahead. A failure while building (a bad image) is rethrown unchanged by the
 * {@code take} of the step that needs the batch, not before. Only the trainer's thread calls {@code take},
 * {@link #discard()} and {@link #close()}; at most depth + 1 host batches exist at once.
 */
final class BatchPrefetcher implements AutoCloseable {
    private final TrainingImages source;
    private final int batchSize;
    private final int views;
    private final int imageFloats;
    private final long stepsPerEpoch;
    private final long totalSteps;
    private final long shuffleSeed;
    private final long augmentSeed;
    private final int depth;
    private final int threadCount;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final ArrayDeque<HostBatch> queued = new ArrayDeque<>(); // consecutive steps; guarded by lock
    private final ArrayDeque<HostBatch> spare = new ArrayDeque<>(); // completed, arrays reusable; trainer thread
    private final List<Thread> workers = new ArrayList<>();
    private boolean closed; // guarded by lock
    private HostBatch lent; // handed out by the last take; in use until the next call
    private long takeNanos;
    private int[] order;
    private int orderEpoch = -1;

    BatchPrefetcher(TrainingImages source, int batchSize, int views, long stepsPerEpoch, long totalSteps,
                    long shuffleSeed, long augmentSeed, Prefetch prefetch) {
        if (views < 1) {
            throw new IllegalArgumentException("views per item must be >= 1, got " + views);
        }
        this.source = source;
        this.batchSize = batchSize;
        this.views = views;
        this.imageFloats = source.channels() * source.size() * source.size();
        this.stepsPerEpoch = stepsPerEpoch;
        this.totalSteps = totalSteps;
        this.shuffleSeed = shuffleSeed;
        this.augmentSeed = augmentSeed;
        this.depth = prefetch.depth();
        this.threadCount = prefetch.resolvedThreads();
    }

    /**
     * The complete batch of global step {@code step}, valid until the next call. Rethrows what building it threw
     * (the lowest failing item's exception); the failed batch is dropped, so asking again rebuilds it.
     */
    HostBatch take(long step) {
        if (step < 0 || step >= totalSteps) {
            throw new IllegalArgumentException("step " + step + " is outside 0.." + (totalSteps - 1));
        }
        long start = System.nanoTime();
        try {
            return takeBatch(step);
        } finally {
            takeNanos += System.nanoTime() - start;
        }
    }

    /**
     * Nanoseconds spent in {@link #take} so far: the time steps waited for their batch or built it themselves.
     * Near zero when the background threads keep up.
     */
    long takeNanos() {
        return takeNanos;
    }

    private HostBatch takeBatch(long step) {
        startWorkers();
        release(lent);
        lent = null;
        HostBatch head;
        lock.lock();
        try {
            head = queued.peekFirst();
        } finally {
            lock.unlock();
        }
        if (head == null || head.step() != step) {
            discardQueued();
            head = enqueue(step);
        }
        topUp(step);
        head.work(source, views, augmentSeed); // items nobody has claimed yet: build them here instead of waiting
        try {
            head.awaitComplete();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the batch of step " + (step + 1), e);
        }
        lock.lock();
        try {
            queued.removeFirst();
        } finally {
            lock.unlock();
        }
        Throwable failure = head.failure();
        if (failure != null) {
            release(head);
            throw rethrow(failure);
        }
        lent = head;
        return head;
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("building a batch failed: " + failure, failure);
    }

    /** Queues the batches of the steps after {@code step}, up to {@code depth} ahead and not past the last step. */
    private void topUp(long step) {
        long last;
        lock.lock();
        try {
            last = queued.peekLast().step();
        } finally {
            lock.unlock();
        }
        for (long s = last + 1; s <= step + depth && s < totalSteps; s++) {
            enqueue(s);
        }
    }

    private HostBatch enqueue(long step) {
        int epoch = (int) (step / stepsPerEpoch);
        if (epoch != orderEpoch) {
            order = EpochOrder.order(source.count(), shuffleSeed, epoch, true);
            orderEpoch = epoch;
        }
        int first = Math.toIntExact((step % stepsPerEpoch) * batchSize);
        HostBatch old = spare.poll();
        HostBatch batch = old == null
                ? new HostBatch(step, epoch, order, first, new float[batchSize * views * imageFloats], new int[batchSize])
                : new HostBatch(step, epoch, order, first, old.images(), old.labels());
        lock.lock();
        try {
            queued.addLast(batch);
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        return batch;
    }

    /** Drops everything built ahead (a new position), after the items being built have finished. */
    void discard() {
        release(lent);
        lent = null;
        discardQueued();
    }

    private void discardQueued() {
        List<HostBatch> dropped;
        lock.lock();
        try {
            dropped = new ArrayList<>(queued);
            queued.clear();
        } finally {
            lock.unlock();
        }
        for (HostBatch b : dropped) {
            b.abandon();
            release(b);
        }
    }

    /** Keeps the arrays of a batch no thread will write again; a batch with items still in flight is left to GC. */
    private void release(HostBatch batch) {
        if (batch != null && batch.complete() && spare.size() <= depth) {
            spare.add(batch);
        }
    }

    private void startWorkers() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the trainer is closed");
            }
        } finally {
            lock.unlock();
        }
        if (!workers.isEmpty()) {
            return;
        }
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::workLoop, "batch-prefetch-" + (i + 1));
            t.setDaemon(true); // a trainer left unclosed must not keep the JVM alive
            t.start();
            workers.add(t);
        }
    }

    private void workLoop() {
        while (true) {
            HostBatch batch = null;
            lock.lock();
            try {
                while (!closed && (batch = firstUnclaimed()) == null) {
                    workAvailable.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            batch.work(source, views, augmentSeed);
        }
    }

    private HostBatch firstUnclaimed() {
        for (HostBatch b : queued) {
            if (b.hasUnclaimed()) {
                return b;
            }
        }
        return null;
    }

    /** Background threads alive: none before the first batch and after close. */
    int liveWorkers() {
        return (int) workers.stream().filter(Thread::isAlive).count();
    }

    /** Drops what was built ahead and stops the background threads, waiting for them to end. */
    @Override
    public void close() {
        discard();
        lock.lock();
        try {
            closed = true;
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
