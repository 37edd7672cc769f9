package org.unicom4j.kernels;

import java.util.SplittableRandom;

/** Seeded random inputs for kernel tests. */
public final class TestData {
    private TestData() {
    }

    /** n floats uniform in [-1, 1). */
    public static float[] uniform(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** n floats from N(0, std^2). */
    public static float[] gaussian(long seed, int n, double std) {
        java.util.Random random = new java.util.Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * std);
        }
        return x;
    }

    /** k distinct sorted ints drawn uniformly from [0, bound). */
    public static int[] sortedSubset(long seed, int k, int bound) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] pool = new int[bound];
        for (int i = 0; i < bound; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(bound - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(pool, k);
        java.util.Arrays.sort(out);
        return out;
    }
}
