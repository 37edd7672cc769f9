package org.unicom4j.data.loader;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The batches of one epoch, in order. Up to the loader's prefetch count of batches are being built ahead; each
 * {@link #next()} waits for the oldest and queues the next one. Closing it (or finishing) cancels what is left.
 */
public final class EpochIterator implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
    private final BatchLoader loader;
    private final int epoch;
    private final int[] order;
    private final int batches;
    private final ArrayDeque<Future<BatchLoader.Built>> pending = new ArrayDeque<>();
    private int submitted;
    private int delivered;
    private boolean closed;

    EpochIterator(BatchLoader loader, int epoch, int[] order, int batches) {
        this.loader = loader;
        this.epoch = epoch;
        this.order = order;
        this.batches = batches;
        fill();
    }

    private void fill() {
        while (!closed && submitted < batches && pending.size() < loader.prefetch()) {
            int number = submitted++;
            pending.add(loader.workers().submit(() -> loader.build(epoch, number, order)));
        }
    }

    @Override
    public boolean hasNext() {
        return !closed && delivered < batches;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has " + batches + " batches");
        }
        Future<BatchLoader.Built> head = pending.poll();
        Batch batch;
        try {
            batch = loader.delivered(head.get());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + delivered + " of epoch " + epoch,
                    e);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("building batch " + delivered + " of epoch " + epoch + " failed",
                    e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("epoch " + epoch + " was closed", e);
        }
        delivered++;
        fill();
        if (delivered == batches) {
            loader.epochFinished(epoch);
        }
        return batch;
    }

    @Override
    public Iterator<Batch> iterator() {
        return this;
    }

    /** Cancels batches still being built. */
    @Override
    public void close() {
        closed = true;
        for (Future<BatchLoader.Built> f : pending) {
            f.cancel(true);
        }
        pending.clear();
    }
}
