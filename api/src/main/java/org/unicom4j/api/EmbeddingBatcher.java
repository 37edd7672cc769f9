package org.unicom4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.unicom4j.model.ImageEncoder;
import org.unicom4j.retrieval.L2Norm;

/**
 * One worker thread that owns the model's inference buffers and runs every forward pass: callers queue preprocessed
 * images, the worker takes the oldest and up to {@code maxBatch - 1} more, and completes each caller's future with
 * its row. It takes what is queued at once; when the queue runs dry it waits for more only while other callers are
 * still decoding or preprocessing an image ({@link #preparing()}), and never past {@code maxWaitNanos} after the
 * oldest arrived. So a lone caller pays no wait, and callers that arrive together share a pass. A request whose
 * future is already done (its caller gave up) is dropped before the pass.
 */
final class EmbeddingBatcher implements AutoCloseable {
    private record Request(float[] pixels, CompletableFuture<float[]> result, long queuedNanos) {
    }

    /** How often a waiting worker looks again whether anyone is still preparing an image. */
    private static final long WAIT_SLICE_NANOS = 100_000;
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
    /** Callers between starting to decode or preprocess an image and queueing it. */
    private final AtomicInteger preparing = new AtomicInteger();
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

    /** Counts a caller preparing an image until it queues it (or fails): a pass waits for such callers. */
    AtomicInteger preparing() {
        return preparing;
    }

    /** Queues one preprocessed image ({@code imageFloats} floats, not copied); the future gets its embedding. */
    CompletableFuture<float[]> submit(float[] pixels) {
        return submitAll(List.of(pixels)).getFirst();
    }

    /** Queues several preprocessed images at once, so that the worker finds them together. */
    synchronized List<CompletableFuture<float[]>> submitAll(List<float[]> images) {
        if (closed) {
            throw new IllegalStateException("the image embedder is closed");
        }
        List<CompletableFuture<float[]>> results = new ArrayList<>(images.size());
        List<Request> requests = new ArrayList<>(images.size());
        long now = System.nanoTime();
        for (float[] pixels : images) {
            CompletableFuture<float[]> result = new CompletableFuture<>();
            results.add(result);
            requests.add(new Request(pixels, result, now));
        }
        queue.addAll(requests);
        return results;
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
            Request next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || preparing.get() == 0) {
                    return false; // nobody else is on the way, or the oldest has waited long enough
                }
                next = queue.poll(Math.min(left, WAIT_SLICE_NANOS), TimeUnit.NANOSECONDS);
                if (next == null) {
                    continue;
                }
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
