package org.unicom4j.api;

import java.util.List;

/**
 * Hears of every forward pass an {@link ImageEmbedder} runs, on its worker thread (keep it quick): how many images
 * went through together, how long the oldest of them waited in the queue, and how long the pass took. A server
 * counts these into its metrics.
 */
@FunctionalInterface
public interface BatchObserver {
    /** Every one of {@code observers}, in order. */
    static BatchObserver all(List<BatchObserver> observers) {
        List<BatchObserver> copy = List.copyOf(observers);
        return (size, waitNanos, forwardNanos) -> copy.forEach(o -> o.batchEmbedded(size, waitNanos, forwardNanos));
    }

    /**
     * @param size         images embedded in this pass (1 .. maxBatch)
     * @param waitNanos    time from the oldest image's arrival in the queue to the start of the pass
     * @param forwardNanos time of the pass itself (copy, forward, normalisation)
     */
    void batchEmbedded(int size, long waitNanos, long forwardNanos);
}
