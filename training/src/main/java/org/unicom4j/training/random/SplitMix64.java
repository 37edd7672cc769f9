package org.unicom4j.training.random;

import java.util.random.RandomGenerator;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; constants
 * and output function as in Vigna's public-domain splitmix64.c): the state is one 64-bit counter advanced by the
 * golden-ratio increment and hashed on output. Unlike {@link java.util.SplittableRandom}, the state can be read
 * ({@link #state()}) and restored ({@link #setState(long)}), which is what checkpoint/resume needs. Every other
 * draw ({@code nextInt(bound)}, {@code nextDouble()}, {@code nextGaussian()}) is derived from
 * {@link #nextLong()} by {@link RandomGenerator}'s default methods, so it is deterministic too.
 */
public final class SplitMix64 implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** The whole generator state: a new generator with this seed continues the same stream. */
    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }

    /** SplitMix64's output function (a bijective 64-bit hash); also used to derive independent stream seeds. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for stream {@code stream}, position {@code position} of a run seeded {@code seed}. */
    public static long derive(long seed, long stream, long position) {
        return mix(mix(seed ^ (GOLDEN_GAMMA * (stream + 1))) ^ (0xD1B54A32D192ED03L * (position + 1)));
    }
}
