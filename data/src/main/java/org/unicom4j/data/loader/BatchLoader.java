package org.unicom4j.data.loader;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.image.ImageTransform;
import org.unicom4j.data.image.PixelImage;

/**
 * Turns an {@link ImageDataset} into batches of CHW floats. Each batch is decoded and transformed by one of
 * {@code threads} background threads; at most {@code prefetch} batches are built ahead of the consumer. The item
 * order of an epoch and every item's augmentation depend only on (seed, epoch, index) (see {@link EpochOrder}), so
 * two runs with the same seed produce identical batches whatever the thread count.
 *
 * <p>Bad items (unreadable files, undecodable or oversized images: any {@link IOException} or
 * {@link InvalidInputException} from {@link ImageDataset#load}) are handled by the {@link BadImagePolicy}: {@code SKIP}
 * leaves them out of their batch, records them ({@link #badImages()}) and prints a summary line when the epoch
 * ends; {@code STOP} fails the epoch with a {@link BadImageException} naming the first one.
 */
public final class BatchLoader implements AutoCloseable {
    private final ImageDataset dataset;
    private final ImageTransform transform;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int prefetch;
    private final BadImagePolicy policy;
    private final PrintStream report;
    private final ExecutorService workers;
    private final List<BadImage> badImages = Collections.synchronizedList(new ArrayList<>());
    /** The pool's threads: close joins them, since the pool reports termination before a thread has exited. */
    private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

    private BatchLoader(Builder b) {
        this.dataset = b.dataset;
        this.transform = b.transform;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
        this.policy = b.policy;
        this.report = b.report;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "batch-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(b.threads, daemons);
    }

    public static Builder builder(ImageDataset dataset, ImageTransform transform) {
        return new Builder(dataset, transform);
    }

    /** Number of batches per epoch. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The batches of {@code epoch}, built in the background; close the iterator to stop early. */
    public EpochIterator epoch(int epoch) {
        int[] order = EpochOrder.order(dataset.size(), seed, epoch, shuffle);
        return new EpochIterator(this, epoch, order, batchesPerEpoch());
    }

    /** Every bad item met so far, in the order met. */
    public List<BadImage> badImages() {
        synchronized (badImages) {
            return List.copyOf(badImages);
        }
    }

    ExecutorService workers() {
        return workers;
    }

    int prefetch() {
        return prefetch;
    }

    /** A built batch and the items left out of it. */
    record Built(Batch batch, List<BadImage> skipped) {
    }

    /**
     * Builds batch {@code number} of an epoch from its slice of the order; runs on a worker thread. Skipped items
     * are recorded only when the batch is delivered ({@link #delivered}), so {@link #badImages()} lists them in
     * epoch order whatever the threads' timing.
     */
    Built build(int epoch, int number, int[] order) {
        int from = number * batchSize;
        int to = Math.min(from + batchSize, order.length);
        int stride = transform.outputSize();
        float[] images = new float[(to - from) * stride];
        int[] labels = new int[to - from];
        int[] indices = new int[to - from];
        int good = 0;
        List<BadImage> skipped = new ArrayList<>();
        for (int k = from; k < to; k++) {
            int index = order[k];
            try {
                PixelImage image = dataset.load(index);
                transform.apply(image, EpochOrder.itemRandom(seed, epoch, index), images, good * stride);
            } catch (IOException | InvalidInputException e) {
                BadImage bad = new BadImage(epoch, index, dataset.describe(index), BadImage.reasonOf(e));
                if (policy == BadImagePolicy.STOP) {
                    throw new BadImageException(bad, e);
                }
                skipped.add(bad);
                continue;
            }
            labels[good] = dataset.label(index);
            indices[good] = index;
            good++;
        }
        if (good < to - from) {
            images = java.util.Arrays.copyOf(images, good * stride);
            labels = java.util.Arrays.copyOf(labels, good);
            indices = java.util.Arrays.copyOf(indices, good);
        }
        return new Built(new Batch(epoch, number, good, transform.channels(), transform.height(), transform.width(),
                images, labels, indices), List.copyOf(skipped));
    }

    /** Called by the epoch iterator, in batch order, as each batch is handed out. */
    Batch delivered(Built built) {
        badImages.addAll(built.skipped());
        return built.batch();
    }

    /** Prints the end-of-epoch summary of skipped items, if any. */
    void epochFinished(int epoch) {
        List<BadImage> skipped = badImages().stream().filter(b -> b.epoch() == epoch).toList();
        if (!skipped.isEmpty() && report != null) {
            StringBuilder s = new StringBuilder("epoch " + epoch + ": skipped " + skipped.size() + " bad image"
                    + (skipped.size() == 1 ? "" : "s") + " of " + dataset.size());
            for (BadImage b : skipped.subList(0, Math.min(3, skipped.size()))) {
                s.append("; ").append(b);
            }
            if (skipped.size() > 3) {
                s.append("; ... (all listed by BatchLoader.badImages())");
            }
            report.println(s);
        }
    }

    /**
     * Stops the worker threads (interrupting batches still being built) and waits up to 10 seconds for them to
     * end, so no loader thread outlives a closed loader.
     */
    @Override
    public void close() {
        workers.shutdownNow();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean ended = workers.awaitTermination(10, TimeUnit.SECONDS);
            for (Thread t : List.copyOf(threads)) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                ended &= !t.isAlive();
            }
            if (!ended && report != null) {
                report.println("batch loader: worker threads still busy 10 s after close; left to finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings with defaults: batch 64, seed 0, shuffle on, keep the last partial batch, 2 threads, prefetch 4. */
    public static final class Builder {
        private final ImageDataset dataset;
        private final ImageTransform transform;
        private int batchSize = 64;
        private long seed;
        private boolean shuffle = true;
        private boolean dropLast;
        private int threads = 2;
        private int prefetch = 4;
        private BadImagePolicy policy = BadImagePolicy.SKIP;
        private PrintStream report = System.err;

        private Builder(ImageDataset dataset, ImageTransform transform) {
            this.dataset = dataset;
            this.transform = transform;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = positive("batchSize", batchSize);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Reshuffle every epoch (training); off gives data-set order (embedding, evaluation). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drop the last, smaller batch of each epoch (a BatchNorm head trains badly on tiny batches). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Worker threads. Each batch is built by one thread and at most {@code prefetch} batches are in flight,
         * so min(threads, prefetch) threads work at once.
         */
        public Builder threads(int threads) {
            this.threads = positive("threads", threads);
            return this;
        }

        /** Batches built ahead of the consumer (memory: prefetch * batch * C*H*W floats). */
        public Builder prefetch(int prefetch) {
            this.prefetch = positive("prefetch", prefetch);
            return this;
        }

        public Builder badImagePolicy(BadImagePolicy policy) {
            this.policy = policy;
            return this;
        }

        /** Where end-of-epoch summaries of skipped images go (System.err by default; null for nowhere). */
        public Builder report(PrintStream report) {
            this.report = report;
            return this;
        }

        public BatchLoader build() {
            return new BatchLoader(this);
        }

        private static int positive(String name, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " " + v + " must be positive");
            }
            return v;
        }
    }
}
