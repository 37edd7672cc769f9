package org.unicom4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float vector shape every CPU kernel uses (the widest the JIT supports on this machine, chosen once)
 * and the row reductions several kernel families share. Reductions keep four independent accumulators so
 * consecutive FMAs do not wait on each other's latency, then finish the tail in scalar code.
 */
final class FloatLanes {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    private FloatLanes() {
    }

    /**
     * The sum of v's lanes, added in lane order. {@code reduceLanes(ADD)} leaves the order to the implementation,
     * and the JIT's intrinsic and the interpreter's fallback differ in the last bit, so results would depend on
     * whether a method had been compiled yet; a fixed order keeps runs bit-reproducible (exact training resume).
     */
    static float sumLanes(FloatVector v) {
        float s = v.lane(0);
        for (int i = 1; i < v.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    /** Largest multiple of the lane count that is <= n. */
    static int loopBound(int n) {
        return SPECIES.loopBound(n);
    }

    /** Sum of a[off .. off+n). */
    static float sum(float[] a, int off, int n) {
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound4 = n - 4 * LANES; i <= bound4; i += 4 * LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, a, off + i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, a, off + i + LANES));
            s2 = s2.add(FloatVector.fromArray(SPECIES, a, off + i + 2 * LANES));
            s3 = s3.add(FloatVector.fromArray(SPECIES, a, off + i + 3 * LANES));
        }
        for (int bound = loopBound(n); i < bound; i += LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, a, off + i));
        }
        float s = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            s += a[off + i];
        }
        return s;
    }

    /** Dot product of a[ao .. ao+n) and b[bo .. bo+n). */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound4 = n - 4 * LANES; i <= bound4; i += 4 * LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), s0);
            s1 = FloatVector.fromArray(SPECIES, a, ao + i + LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bo + i + LANES), s1);
            s2 = FloatVector.fromArray(SPECIES, a, ao + i + 2 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bo + i + 2 * LANES), s2);
            s3 = FloatVector.fromArray(SPECIES, a, ao + i + 3 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bo + i + 3 * LANES), s3);
        }
        for (int bound = loopBound(n); i < bound; i += LANES) {
            s0 = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), s0);
        }
        float s = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            s = Math.fma(a[ao + i], b[bo + i], s);
        }
        return s;
    }

    /** Sum of squares of a[off .. off+n). */
    static float sumOfSquares(float[] a, int off, int n) {
        return dot(a, off, a, off, n);
    }

    /** Sum of (a[i] - centre)^2 over a[off .. off+n): the centred second moment, free of cancellation. */
    static float sumOfSquaredDeviations(float[] a, int off, int n, float centre) {
        FloatVector c = FloatVector.broadcast(SPECIES, centre);
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0;
        int i = 0;
        for (int bound2 = n - 2 * LANES; i <= bound2; i += 2 * LANES) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, a, off + i).sub(c);
            FloatVector d1 = FloatVector.fromArray(SPECIES, a, off + i + LANES).sub(c);
            s0 = d0.fma(d0, s0);
            s1 = d1.fma(d1, s1);
        }
        for (int bound = loopBound(n); i < bound; i += LANES) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, a, off + i).sub(c);
            s0 = d0.fma(d0, s0);
        }
        float s = sumLanes(s0.add(s1));
        for (; i < n; i++) {
            float d = a[off + i] - centre;
            s = Math.fma(d, d, s);
        }
        return s;
    }

    /*
     * max and min are written out separately: a VectorOperators constant that is not a compile-time constant
     * at the call site (op = cond ? MAX : MIN) defeats the intrinsic and runs ~20x slower.
     */

    /** Maximum of a[off .. off+n) (NaN if any element is NaN); -infinity when n = 0. */
    static float max(float[] a, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        int i = 0;
        int bound = loopBound(n);
        if (bound > 0) {
            FloatVector v = FloatVector.fromArray(SPECIES, a, off);
            for (i = LANES; i < bound; i += LANES) {
                v = v.max(FloatVector.fromArray(SPECIES, a, off + i));
            }
            m = v.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, a[off + i]);
        }
        return m;
    }

    /** Minimum of a[off .. off+n) (NaN if any element is NaN); +infinity when n = 0. */
    static float min(float[] a, int off, int n) {
        float m = Float.POSITIVE_INFINITY;
        int i = 0;
        int bound = loopBound(n);
        if (bound > 0) {
            FloatVector v = FloatVector.fromArray(SPECIES, a, off);
            for (i = LANES; i < bound; i += LANES) {
                v = v.min(FloatVector.fromArray(SPECIES, a, off + i));
            }
            m = v.reduceLanes(VectorOperators.MIN);
        }
        for (; i < n; i++) {
            m = Math.min(m, a[off + i]);
        }
        return m;
    }
}
