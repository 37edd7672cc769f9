package org.unicom4j.training.trainer;

/**
 * How a trainer assembles its host batches (decode, augment, copy): {@code depth} steps' batches are built ahead
 * on {@code threads} background threads while the backend runs the current step; with depth 0 each step builds
 * its own batch before it starts (the background threads and the stepping thread together). Results do not
 * depend on either setting: every image's augmentation is a function of (seed, epoch, index).
 *
 * @param depth   batches built ahead of the current step (0: none); each costs one more host batch of memory
 * @param threads background threads; 0 picks half the cores (at least 1), since on a CPU backend they compete
 *                with the backend's own threads while a step runs
 */
public record Prefetch(int depth, int threads) {
    /** The largest accepted depth: more only costs memory, the backend consumes one batch per step. */
    public static final int MAX_DEPTH = 16;
    /** The largest accepted thread count. */
    public static final int MAX_THREADS = 256;
    /** One batch ahead (double buffering) on the automatic thread count. */
    public static final Prefetch DEFAULT = new Prefetch(1, 0);
    /** Each step builds its own batch, as without prefetching. */
    public static final Prefetch OFF = new Prefetch(0, 0);

    public Prefetch {
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("prefetch depth must be in [0, " + MAX_DEPTH + "], got " + depth);
        }
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("prefetch threads must be in [0, " + MAX_THREADS + "] (0: automatic), "
                    + "got " + threads);
        }
    }

    /** The thread count to start: {@code threads}, or for 0 half the available cores, at least 1. */
    public int resolvedThreads() {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
