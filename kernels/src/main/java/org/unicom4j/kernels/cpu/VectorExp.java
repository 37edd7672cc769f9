package org.unicom4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp(x) on float vectors, within about 2 ulp, for softmax arguments (x <= 0). The Vector API's own EXP
 * falls back to a per-lane loop on this JDK (about 1 ns per element), ten times slower than this.
 *
 * <p>Method: x = n ln2 + r with n = round(x / ln2) and |r| <= ln2/2, ln2 split in two parts so n ln2 is exact
 * (Cody and Waite's reduction); exp(r) by its Taylor series to r^7/7! (the next term is below 6e-9 for
 * |r| <= 0.347, under float's 6e-8 rounding); 2^n built in the exponent bits.
 */
final class VectorExp {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.4426950408889634f;
    /** ln 2 = LN2_HI + LN2_LO; LN2_HI = 355/512 has 9 significant bits, so n * LN2_HI is exact for |n| < 2^15. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = (float) (0.6931471805599453 - 0.693359375);
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude < 2^22 to the nearest integer. */
    private static final float ROUNDER = 12582912f;
    /** exp(-87.33) is about 2^-126, the smallest normal float; below that the result is flushed to it. */
    private static final float MIN_ARG = -87.33f;
    private static final float MAX_ARG = 88.0f;

    private VectorExp() {
    }

    static FloatVector exp(FloatVector x) {
        x = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector n = x.fma(FloatVector.broadcast(SPECIES, LOG2E), FloatVector.broadcast(SPECIES, ROUNDER))
                .sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(SPECIES, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
        // Horner form of sum_{i<=7} r^i / i!
        FloatVector p = r.fma(FloatVector.broadcast(SPECIES, 1f / 5040f), FloatVector.broadcast(SPECIES, 1f / 720f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 120f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 24f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f / 6f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 0.5f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1f));
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /**
     * {@link #exp(FloatVector)} with exp(x) = 0 below the smallest normal result instead of flushing to it, so a
     * softmax gives masked (-inf) entries exactly zero and an all -inf row NaN, as PyTorch does.
     */
    static FloatVector expOrZero(FloatVector x) {
        return exp(x).blend(0f, x.lt(MIN_ARG));
    }

    /** Scalar twin of {@link #expOrZero(FloatVector)}. */
    static float expOrZero(float x) {
        return x < MIN_ARG ? 0f : exp(x);
    }

    /** Scalar twin of {@link #exp(FloatVector)} for loop tails, so a row's terms round the same way. */
    static float exp(float x) {
        x = Math.min(Math.max(x, MIN_ARG), MAX_ARG);
        float n = Math.fma(x, LOG2E, ROUNDER) - ROUNDER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, 1f / 5040f, 1f / 720f);
        p = Math.fma(p, r, 1f / 120f);
        p = Math.fma(p, r, 1f / 24f);
        p = Math.fma(p, r, 1f / 6f);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
