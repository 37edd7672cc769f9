package org.unicom4j.data.loader;

import java.util.SplittableRandom;

/**
 * The deterministic randomness of a loader: the item order of each epoch, and a generator per (epoch, item) for
 * augmentation, all derived from one seed. Because each item's generator depends only on (seed, epoch, index),
 * results do not depend on thread count or scheduling.
 */
public final class EpochOrder {
    private EpochOrder() {
    }

    /** Indices 0..n-1, shuffled (Fisher-Yates) for this epoch, or in order when {@code shuffle} is false. */
    public static int[] order(int n, long seed, int epoch, boolean shuffle) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(mix(seed, epoch, -1));
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The generator for augmenting item {@code index} in {@code epoch}. */
    public static SplittableRandom itemRandom(long seed, int epoch, int index) {
        return new SplittableRandom(mix(seed, epoch, index));
    }

    /** Combines the three numbers through SplitMix64's finaliser so nearby inputs give unrelated streams. */
    static long mix(long seed, int epoch, long index) {
        long z = seed;
        z = splitMix(z ^ (0x9E3779B97F4A7C15L * (epoch + 1L)));
        z = splitMix(z ^ (0xD1B54A32D192ED03L * (index + 2L)));
        return z;
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
