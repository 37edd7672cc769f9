package org.unicom4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked FMA micro-kernel behind the fused sampled-cosine kernels: one MR x NR output tile
 * from packed operands, A as k steps of MR scalars (broadcast) and B as k steps of NR floats (two vectors).
 * Callers pack A and B so both are read front to back.
 *
 * <p>Why 4 x 2 vectors (8 accumulators): measured on an AVX2 core (JDK 25), 6 x 2 and 4 x 3 (12
 * accumulators) ran at about 38 GFLOP/s per core-second and 4 x 2 at 55-68: with 12 accumulators C2 runs
 * out of the 16 ymm registers and spills (the gemm helper found the same for CpuGemm's kernel).
 */
final class PackedTileKernel {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Rows of a tile: the scalars of A broadcast per step. */
    static final int MR = 4;
    /** Columns of a tile: two vectors of B per step. */
    static final int NR = 2 * LANES;

    private PackedTileKernel() {
    }

    /** tile[r*NR + l] = sum_{p<k} a[aOff + p*MR + r] * b[bOff + p*NR + l] for r < MR, l < NR. */
    static void multiply(float[] a, int aOff, float[] b, int bOff, int k, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0, ai = aOff, bi = bOff; p < k; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + LANES);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + LANES);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + LANES);
    }
}
