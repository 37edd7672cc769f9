package org.unicom4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.unicom4j.model.ImageEncoder;
import org.unicom4j.retrieval.L2Norm;

/**
 * One worker thread that owns the model's inference buffers and runs every forward pass: callers queue preprocessed
 * images, the worker takes the oldest and up to {@code maxBatch - 1} more, waiting at most {@code maxWaitNanos}
 * after the oldest arrived (requests that queued during the previous pass have waited already and go at once), and
 * completes each caller's future with its row. A request whose future is already done (its caller gave up) is
 * dropped before the pass.
 */
final class EmbeddingBatcher implements AutoCloseable {
    private record Request(float[] pixels, CompletableFuture<float[]> result, long queuedNanos) {
    }

    /** Queued by {@link #close()} after every accepted request: the worker finishes those, then stops. */
    private static final Request STOP = new Request(null, null, 0);

    private final ImageEncoder embedder;
    private final int imageFloats;
    private final int dim;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final boolean normalize;
    private final BatchObserver observer;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private boolean closed;

    EmbeddingBatcher(ImageEncoder embedder, int imageFloats, int dim, long maxWaitNanos, boolean normalize,
                     BatchObserver observer) {
        this.embedder = embedder;
        this.imageFloats = imageFloats;
        this.dim = dim;
        this.maxBatch = embedder.maxBatch();
        this.maxWaitNanos = maxWaitNanos;
        this.normalize = normalize;
        this.observer = observer;
        this.worker = Thread.ofPlatform().name("unicom4j-embedder").daemon().start(this::run);
    }

    /** Queues one preprocessed image ({@code imageFloats} floats, not copied); the future gets its embedding. */
    synchronized CompletableFuture<float[]> submit(float[] pixels) {
        if (closed) {
            throw new IllegalStateException("the image embedder is closed");
        }
        CompletableFuture<float[]> result = new CompletableFuture<>();
        queue.add(new Request(pixels, result, System.nanoTime()));
        return result;
    }

    /** Images waiting for a forward pass (not counting the pass running now). */
    int queueDepth() {
        return queue.size();
    }

    private void run() {
        List<Request> batch = new ArrayList<>(maxBatch);
        boolean stopping = false;
        while (!stopping) {
            batch.clear();
            try {
                stopping = take(batch);
            } catch (InterruptedException e) {
                stopping = true; // only close() stops the worker; an interrupt from elsewhere ends it the same way
            }
            batch.removeIf(r -> r.result().isDone());
            if (!batch.isEmpty()) {
                embed(batch);
            }
        }
        for (Request r; (r = queue.poll()) != null; ) {
            if (r != STOP) {
                r.result().completeExceptionally(new IllegalStateException("the image embedder is closed"));
            }
        }
    }

    /** Fills {@code batch} with the next pass's requests; true when {@link #STOP} was reached. */
    private boolean take(List<Request> batch) throws InterruptedException {
        Request first = queue.take();
        if (first == STOP) {
            return true;
        }
        batch.add(first);
        long deadline = first.queuedNanos() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            Request next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                return false;
            }
            if (next == STOP) {
                return true;
            }
            batch.add(next);
        }
        return false;
    }

    private void embed(List<Request> batch) {
        int n = batch.size();
        long start = System.nanoTime();
        try {
            float[] pixels = new float[n * imageFloats];
            for (int i = 0; i < n; i++) {
                System.arraycopy(batch.get(i).pixels(), 0, pixels, i * imageFloats, imageFloats);
            }
            float[] rows = embedder.embed(pixels, n);
            if (normalize) {
                L2Norm.normalizeRows(rows, n, dim);
            }
            long end = System.nanoTime();
            for (int i = 0; i < n; i++) {
                float[] row = new float[dim];
                System.arraycopy(rows, i * dim, row, 0, dim);
                batch.get(i).result().complete(row);
            }
            observer.batchEmbedded(n, start - batch.getFirst().queuedNanos(), end - start);
        } catch (Throwable e) { // the callers hear of it; the worker lives on for the next pass
            batch.forEach(r -> r.result().completeExceptionally(e));
        }
    }

    /** Finishes the queued requests, stops the worker and waits for it; later submissions are refused. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
