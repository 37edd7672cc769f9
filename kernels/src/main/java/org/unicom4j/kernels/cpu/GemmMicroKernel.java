package org.unicom4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner product of SGEMM and of the fused sampled-cosine kernels: an {@link #MR} x {@link #NR} tile of C from a packed A sliver
 * (MR values per k step, broadcast) and a packed B sliver (NR values per k step, two vectors), as 4 rows x 2
 * vectors = 8 FMA accumulators.
 *
 * <p>Why 4 x 2 and not 4 x 3 or 6 x 2 (12 accumulators): eight independent FMA chains already cover the FMA
 * latency x throughput of AVX2 cores (4 cycles x 2 pipes on Zen 3), and this loop runs at the FMA peak: about
 * 93 GFLOP/s per core-second on the development machine's Zen 3 (2 x 8 lanes x 2 flops x ~2.9 GHz), with A and
 * B in L2/L1. With 12 accumulators JDK 25's C2 schedules every load and broadcast of a k step ahead of its FMAs
 * (3 + 4 or 2 + 6 more live vectors), runs out of the 16 ymm registers and spills accumulators to the stack
 * inside the loop (seen in the disassembled loop), which halves throughput (measured 38-45 GFLOP/s). Reading B
 * through FMA memory operands instead avoids the spills but needs 12 vector loads per step and is load-bound
 * (about 45 GFLOP/s).
 */
final class GemmMicroKernel {
    /** Chosen once: the widest float vector the CPU runs natively (8 lanes on AVX2, 16 on AVX-512). */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Rows of C per tile. */
    static final int MR = 4;
    /** Columns of C per tile: two vectors. */
    static final int NR = 2 * LANES;

    private GemmMicroKernel() {
    }

    /**
     * tile[0 .. MR x NR, row-major) = A sliver x B sliver over kc steps: {@code ap} holds MR values per step
     * from {@code aOff}, {@code bp} NR values per step from {@code bOff}. The tile goes to a small buffer that
     * stays in L1 rather than straight to C: the alpha/beta epilogue and C's edges are {@link #store}'s, which
     * keeps this method small enough for C2 to compile every vector operation as an intrinsic.
     */
    static void multiply(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        multiply(kc, ap, aOff, bp, bOff, tile, 0, NR);
    }

    /** As {@link #multiply(int, float[], int, float[], int, float[])}, row r of the tile going to out[at + r*stride]. */
    static void multiply(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] out, int at, int stride) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR, bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        c00.intoArray(out, at);
        c01.intoArray(out, at + LANES);
        c10.intoArray(out, at + stride);
        c11.intoArray(out, at + stride + LANES);
        c20.intoArray(out, at + 2 * stride);
        c21.intoArray(out, at + 2 * stride + LANES);
        c30.intoArray(out, at + 3 * stride);
        c31.intoArray(out, at + 3 * stride + LANES);
    }

    /**
     * Loads the first and last element of each of the tile's rows of C, so that its cache lines are on their
     * way while the micro-kernel runs (the Vector API has no prefetch): {@link #store} then reads C from L1
     * instead of stalling on L3 or memory once per tile. The caller keeps the returned sum (in a field of its
     * own thread's workspace at the end) so that the loads are not dead code.
     */
    static float touch(float[] c, int cOff, int ldc, int rows, int cols) {
        float s = 0f;
        for (int r = 0, ci = cOff; r < rows; r++, ci += ldc) {
            s += c[ci] + c[ci + cols - 1];
        }
        return s;
    }

    /**
     * C[0..rows, 0..cols) = alpha * tile + beta * C, C's element [0, 0] at c[cOff]; C is read only when
     * beta != 0 (so NaNs in an overwritten C do not leak through). Vectors for full-width rows, scalars for the
     * columns of an edge tile.
     */
    static void store(float[] tile, float[] c, int cOff, int ldc, int rows, int cols, float alpha, float beta) {
        for (int r = 0; r < rows; r++) {
            int ci = cOff + r * ldc, ti = r * NR, j = 0;
            if (cols == NR) {
                for (; j < NR; j += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, tile, ti + j).mul(alpha);
                    if (beta != 0f) {
                        v = FloatVector.fromArray(SPECIES, c, ci + j).fma(FloatVector.broadcast(SPECIES, beta), v);
                    }
                    v.intoArray(c, ci + j);
                }
            }
            for (; j < cols; j++) {
                c[ci + j] = beta == 0f ? alpha * tile[ti + j] : alpha * tile[ti + j] + beta * c[ci + j];
            }
        }
    }
}
