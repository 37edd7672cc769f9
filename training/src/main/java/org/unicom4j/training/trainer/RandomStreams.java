package org.unicom4j.training.trainer;

import org.unicom4j.training.random.SplitMix64;

/**
 * The independent random streams of a run, all derived from its one seed. Shuffling, augmentation and stochastic
 * depth are counter-based (a pure function of the seed and the epoch, item or step), so a checkpoint's position
 * fixes them; only the class/dimension sampler keeps a running generator, whose state the checkpoint stores.
 */
public final class RandomStreams {
    public static final int SHUFFLE = 0;
    public static final int AUGMENT = 1;
    public static final int SAMPLING = 2;
    public static final int DROP_PATH = 3;
    public static final int PROTOTYPES = 4;
    public static final int DROPOUT = 5;

    private RandomStreams() {
    }

    /** The seed of stream {@code stream} of a run seeded {@code seed}. */
    public static long seed(long seed, int stream) {
        return SplitMix64.derive(seed, stream, 0);
    }

    /** The stochastic-depth seed of global step {@code step}. */
    public static long dropPathSeed(long seed, long step) {
        return SplitMix64.derive(seed, DROP_PATH, step);
    }

    /** The dropout seed of global step {@code step} (the head method's mask on its input features). */
    public static long dropoutSeed(long seed, long step) {
        return SplitMix64.derive(seed, DROPOUT, step);
    }
}
