package org.unicom4j.training.trainer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.unicom4j.data.loader.EpochOrder;

/**
 * One step's batch on the host, built item by item by whichever threads claim its items (background workers
 * and the trainer's own thread). Items are claimed in increasing order, and a failing item stops further claims,
 * so the failure reported is always the one of the lowest failing item, whatever the threads' timing. Once
 * {@link #complete()} no thread writes its arrays again, so they can be reused.
 */
final class HostBatch {
    private final long step;
    private final int epoch;
    private final int[] order;
    private final int first;
    private final float[] images;
    private final int[] labels;
    private final AtomicInteger nextItem = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private int failedItem = Integer.MAX_VALUE; // guarded by this
    private Throwable failure; // guarded by this

    /** The batch of {@code step}: items {@code order[first ..]} of {@code epoch}, written into the given arrays. */
    HostBatch(long step, int epoch, int[] order, int first, float[] images, int[] labels) {
        this.step = step;
        this.epoch = epoch;
        this.order = order;
        this.first = first;
        this.images = images;
        this.labels = labels;
    }

    long step() {
        return step;
    }

    /** The batch's images, [batch * views, C, H, W] floats. */
    float[] images() {
        return images;
    }

    int[] labels() {
        return labels;
    }

    boolean hasUnclaimed() {
        return nextItem.get() < labels.length;
    }

    /**
     * Claims and builds items until none is left unclaimed; returns when this thread's last item is done. An item
     * is {@code views} images of one source image, augmented one after the other from the item's generator.
     */
    void work(TrainingImages source, int views, long augmentSeed) {
        int size = labels.length;
        int floats = images.length / size / views;
        for (int i = nextItem.getAndIncrement(); i < size; i = nextItem.getAndIncrement()) {
            try {
                int index = order[first + i];
                RandomGenerator random = EpochOrder.itemRandom(augmentSeed, epoch, index);
                for (int v = 0; v < views; v++) {
                    source.copyImage(index, images, (i * views + v) * floats, random);
                }
                labels[i] = source.label(index);
            } catch (Throwable t) { // handed to the step that needs this batch, whatever it is
                failed(i, t);
            }
            itemsDone(1);
        }
    }

    private void failed(int item, Throwable t) {
        synchronized (this) {
            if (item < failedItem) {
                failedItem = item;
                failure = t;
            }
        }
        abandon();
    }

    /** Stops further claims; items being built still finish. */
    void abandon() {
        int claimed = nextItem.getAndSet(labels.length);
        if (claimed < labels.length) {
            itemsDone(labels.length - claimed);
        }
    }

    private void itemsDone(int n) {
        if (finished.addAndGet(n) == labels.length) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    boolean complete() {
        return finished.get() == labels.length;
    }

    /** Waits until every item is built or skipped. */
    synchronized void awaitComplete() throws InterruptedException {
        while (!complete()) {
            wait();
        }
    }

    /** What the lowest failing item threw, or null. */
    synchronized Throwable failure() {
        return failure;
    }
}
