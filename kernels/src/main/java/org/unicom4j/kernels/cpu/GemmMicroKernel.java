package org.unicom4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner product of SGEMM: an {@link #MR} x {@link #NR} tile of C from a packed A sliver
 * (MR values per k step) and a packed B sliver (NR values per k step), as 4 rows x 2 vectors = 8 FMA
 * accumulators. Eight independent chains match the FMA latency x throughput of AVX2 cores (4 cycles x 2
 * pipes on Zen 3 and Skylake). Larger tiles (4 x 3, 6 x 2: 12 accumulators) would hide latency better, but
 * JDK 25's C2 keeps two or three broadcasts live at once, runs out of the 16 ymm registers and spills one
 * accumulator through the stack, which puts a store-to-load round trip on its chain and halves throughput
 * (measured: 4 x 2 about 87, 4 x 3 and 6 x 2 about 40 GFLOP/s per core-second on this machine).
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
     * acc[accOff.., an MR x NR row-major tile] = A sliver x B sliver over kc steps, plus the tile's previous
     * contents when {@code add}. {@code ap} holds MR values per step from {@code aOff}, {@code bp} NR values
     * per step from {@code bOff}. The tile lives in a small contiguous buffer rather than in C: C's rows may be
     * far apart (and alias in the caches), and keeping this method free of the alpha/beta epilogue keeps it
     * small enough for C2 to compile every vector operation as an intrinsic (past C2's node budget it boxed
     * the vectors of the calls it gave up inlining).
     */
    static void multiply(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] acc, int accOff, boolean add) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        if (add) {
            c00 = FloatVector.fromArray(SPECIES, acc, accOff);
            c01 = FloatVector.fromArray(SPECIES, acc, accOff + LANES);
            c10 = FloatVector.fromArray(SPECIES, acc, accOff + NR);
            c11 = FloatVector.fromArray(SPECIES, acc, accOff + NR + LANES);
            c20 = FloatVector.fromArray(SPECIES, acc, accOff + 2 * NR);
            c21 = FloatVector.fromArray(SPECIES, acc, accOff + 2 * NR + LANES);
            c30 = FloatVector.fromArray(SPECIES, acc, accOff + 3 * NR);
            c31 = FloatVector.fromArray(SPECIES, acc, accOff + 3 * NR + LANES);
        } else {
            c00 = FloatVector.zero(SPECIES);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
        }
        for (int p = 0, ai = aOff, bi = bOff; p < kc; p++, ai += MR, bi += NR) {
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
        c00.intoArray(acc, accOff);
        c01.intoArray(acc, accOff + LANES);
        c10.intoArray(acc, accOff + NR);
        c11.intoArray(acc, accOff + NR + LANES);
        c20.intoArray(acc, accOff + 2 * NR);
        c21.intoArray(acc, accOff + 2 * NR + LANES);
        c30.intoArray(acc, accOff + 3 * NR);
        c31.intoArray(acc, accOff + 3 * NR + LANES);
    }

    /**
     * C[0..rows, 0..cols) = alpha * tile + beta * C for the MR x NR tile at acc[accOff..], reading C only when
     * beta != 0; vectors for full-width rows, scalars for the columns of an edge tile.
     */
    static void store(float[] acc, int accOff, float[] c, int cOff, int ldc, int rows, int cols, float alpha,
                      float beta) {
        for (int r = 0; r < rows; r++) {
            int ci = cOff + r * ldc, ti = accOff + r * NR, j = 0;
            if (cols == NR) {
                for (; j < NR; j += LANES) {
                    FloatVector v = FloatVector.fromArray(SPECIES, acc, ti + j).mul(alpha);
                    if (beta != 0f) {
                        v = FloatVector.fromArray(SPECIES, c, ci + j).fma(FloatVector.broadcast(SPECIES, beta), v);
                    }
                    v.intoArray(c, ci + j);
                }
            }
            for (; j < cols; j++) {
                c[ci + j] = beta == 0f ? alpha * acc[ti + j] : alpha * acc[ti + j] + beta * c[ci + j];
            }
        }
    }
}
