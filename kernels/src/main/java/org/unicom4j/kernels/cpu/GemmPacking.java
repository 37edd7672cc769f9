package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.LANES;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies a block of op(A) or op(B) into the sliver order {@link GemmMicroKernel} streams: a rows x kc block of
 * op(A) as MR-row slivers (sliver s at {@code s * MR * kc}, MR values per k step), a kc x cols block of op(B)
 * as NR-column slivers (sliver t at {@code t * NR * kc}, NR values per k step), zero-padded to whole slivers
 * so the micro-kernel never branches on edges. Transposes are absorbed here.
 */
final class GemmPacking {
    /** Four floats: one k step of an A sliver when A is stored k x m. */
    private static final VectorSpecies<Float> QUAD = FloatVector.SPECIES_128;
    // Two-vector shuffles for the 4 x 8 and 8 x 8 transposes (only with 8 lanes); lanes 8..15 pick from the
    // second vector.
    private static final VectorShuffle<Float> PAIRS_LOW = shuffle(0, 8, 1, 9, 2, 10, 3, 11);
    private static final VectorShuffle<Float> PAIRS_HIGH = shuffle(4, 12, 5, 13, 6, 14, 7, 15);
    private static final VectorShuffle<Float> QUADS_LOW = shuffle(0, 1, 8, 9, 2, 3, 10, 11);
    private static final VectorShuffle<Float> QUADS_HIGH = shuffle(4, 5, 12, 13, 6, 7, 14, 15);
    private static final VectorShuffle<Float> HALVES_LOW = shuffle(0, 1, 2, 3, 8, 9, 10, 11);
    private static final VectorShuffle<Float> HALVES_HIGH = shuffle(4, 5, 6, 7, 12, 13, 14, 15);

    /**
     * K steps copied at a time when a packing routine deals one row of the source out to many slivers: few
     * enough source rows to stay in L1 and the TLB, enough for whole cache lines of every sliver.
     */
    private static final int STEPS = 16;

    private GemmPacking() {
    }

    private static VectorShuffle<Float> shuffle(int... lanes) {
        return LANES == 8 ? VectorShuffle.fromValues(SPECIES, lanes) : null;
    }

    /** Rows (or columns) rounded up to whole slivers of {@code unit}. */
    static int padded(int count, int unit) {
        return (count + unit - 1) / unit * unit;
    }

    /** Packs op(A)[i0 .. i0 + rows, p0 .. p0 + kc) of {@code g} into {@code dst}. */
    static void packA(GemmProduct g, int i0, int rows, int p0, int kc, float[] dst) {
        int full = rows / MR * MR;
        if (full < rows) {
            Arrays.fill(dst, full * kc, (full + MR) * kc, 0f);
        }
        if (g.transA()) {
            packTransposedA(g, i0, rows, p0, kc, dst);
            return;
        }
        float[] a = g.a();
        int lda = g.lda();
        // A is stored m x k: interleave MR rows, each read front to back.
        for (int r0 = 0; r0 < full; r0 += MR) {
            int s0 = g.aBase() + (i0 + r0) * lda + p0;
            interleaveRows(a, s0, s0 + lda, s0 + 2 * lda, s0 + 3 * lda, kc, dst, r0 * kc);
        }
        for (int r = full; r < rows; r++) {
            int src = g.aBase() + (i0 + r) * lda + p0, out = full * kc + r - full;
            for (int p = 0; p < kc; p++) {
                dst[out + p * MR] = a[src + p];
            }
        }
    }

    /**
     * packA when A is stored k x m: the block's rows of one k step are a contiguous run of one row of A, MR
     * values (one 128-bit copy) for each sliver. A few k steps at a time, sliver by sliver: walking the slivers
     * outermost touches a new row of A, often a new page, at every step (10-20% slower overall on 2048^3, TLB
     * misses), and walking k outermost stores to every sliver in turn, at addresses a multiple of 4 KiB apart
     * that all fall in one L1 set (1.1 ns per float against 0.24 in blocks of {@link #STEPS}, measured alone on
     * Zen 3).
     */
    private static void packTransposedA(GemmProduct g, int i0, int rows, int p0, int kc, float[] dst) {
        float[] a = g.a();
        int lda = g.lda(), full = rows / MR * MR;
        for (int q = 0; q < kc; q += STEPS) {
            int qe = Math.min(kc, q + STEPS);
            for (int r0 = 0; r0 < full; r0 += MR) {
                for (int p = q, src = g.aBase() + (p0 + q) * lda + i0 + r0; p < qe; p++, src += lda) {
                    FloatVector.fromArray(QUAD, a, src).intoArray(dst, r0 * kc + p * MR);
                }
            }
            for (int p = q; p < qe; p++) {
                int src = g.aBase() + (p0 + p) * lda + i0, out = full * kc + p * MR;
                for (int r = full; r < rows; r++) {
                    dst[out + r - full] = a[src + r];
                }
            }
        }
    }

    /**
     * dst[out + p*MR + r] = a[s_r + p] for p < kc and the four rows r starting at s0..s3. With 8 lanes, eight
     * steps at a time: load 8 floats of each row and transpose the 4 x 8 block in registers with two rounds of
     * two-vector interleaves (about 1.6x faster than scalar copies, measured on Zen 3); scalar copies otherwise.
     */
    private static void interleaveRows(float[] a, int s0, int s1, int s2, int s3, int kc, float[] dst, int out) {
        int p = 0;
        if (LANES == 8) {
            for (; p + 8 <= kc; p += 8) {
                FloatVector x0 = FloatVector.fromArray(SPECIES, a, s0 + p);
                FloatVector x1 = FloatVector.fromArray(SPECIES, a, s1 + p);
                FloatVector x2 = FloatVector.fromArray(SPECIES, a, s2 + p);
                FloatVector x3 = FloatVector.fromArray(SPECIES, a, s3 + p);
                // t0 = x0[0] x1[0] x0[1] x1[1] .. x0[3] x1[3], t1 the same for lanes 4..7; t2, t3 for x2, x3.
                FloatVector t0 = x0.rearrange(PAIRS_LOW, x1), t1 = x0.rearrange(PAIRS_HIGH, x1);
                FloatVector t2 = x2.rearrange(PAIRS_LOW, x3), t3 = x2.rearrange(PAIRS_HIGH, x3);
                int o = out + p * MR;
                t0.rearrange(QUADS_LOW, t2).intoArray(dst, o);
                t0.rearrange(QUADS_HIGH, t2).intoArray(dst, o + 8);
                t1.rearrange(QUADS_LOW, t3).intoArray(dst, o + 16);
                t1.rearrange(QUADS_HIGH, t3).intoArray(dst, o + 24);
            }
        }
        for (; p < kc; p++) {
            int o = out + p * MR;
            dst[o] = a[s0 + p];
            dst[o + 1] = a[s1 + p];
            dst[o + 2] = a[s2 + p];
            dst[o + 3] = a[s3 + p];
        }
    }

    /**
     * dst[out + p*NR + j] = b[src + j*ldb + p] for p < kc, j < 8: eight columns of op(B) stored as rows, eight
     * steps at a time as an 8 x 8 transpose in registers (three rounds of two-vector interleaves), the rest of
     * the steps by scalar copies. Needs 8 lanes. Measured on Zen 3 about 1.25x faster than scalar copies
     * (0.41 vs 0.52 ns per float), which scatter every float to its own cache line of the sliver.
     */
    private static void transpose8(float[] b, int src, int ldb, int kc, float[] dst, int out) {
        int p = 0;
        for (; p + 8 <= kc; p += 8) {
            int s = src + p;
            FloatVector x0 = FloatVector.fromArray(SPECIES, b, s), x1 = FloatVector.fromArray(SPECIES, b, s + ldb);
            FloatVector x2 = FloatVector.fromArray(SPECIES, b, s + 2 * ldb);
            FloatVector x3 = FloatVector.fromArray(SPECIES, b, s + 3 * ldb);
            FloatVector x4 = FloatVector.fromArray(SPECIES, b, s + 4 * ldb);
            FloatVector x5 = FloatVector.fromArray(SPECIES, b, s + 5 * ldb);
            FloatVector x6 = FloatVector.fromArray(SPECIES, b, s + 6 * ldb);
            FloatVector x7 = FloatVector.fromArray(SPECIES, b, s + 7 * ldb);
            // Pairs of rows interleaved, then pairs of pairs: y0 = column steps 0,1 of rows 0..3, and so on.
            FloatVector l01 = x0.rearrange(PAIRS_LOW, x1), h01 = x0.rearrange(PAIRS_HIGH, x1);
            FloatVector l23 = x2.rearrange(PAIRS_LOW, x3), h23 = x2.rearrange(PAIRS_HIGH, x3);
            FloatVector l45 = x4.rearrange(PAIRS_LOW, x5), h45 = x4.rearrange(PAIRS_HIGH, x5);
            FloatVector l67 = x6.rearrange(PAIRS_LOW, x7), h67 = x6.rearrange(PAIRS_HIGH, x7);
            FloatVector y0 = l01.rearrange(QUADS_LOW, l23), y1 = l01.rearrange(QUADS_HIGH, l23);
            FloatVector y2 = h01.rearrange(QUADS_LOW, h23), y3 = h01.rearrange(QUADS_HIGH, h23);
            FloatVector z0 = l45.rearrange(QUADS_LOW, l67), z1 = l45.rearrange(QUADS_HIGH, l67);
            FloatVector z2 = h45.rearrange(QUADS_LOW, h67), z3 = h45.rearrange(QUADS_HIGH, h67);
            int o = out + p * NR;
            y0.rearrange(HALVES_LOW, z0).intoArray(dst, o);
            y0.rearrange(HALVES_HIGH, z0).intoArray(dst, o + NR);
            y1.rearrange(HALVES_LOW, z1).intoArray(dst, o + 2 * NR);
            y1.rearrange(HALVES_HIGH, z1).intoArray(dst, o + 3 * NR);
            y2.rearrange(HALVES_LOW, z2).intoArray(dst, o + 4 * NR);
            y2.rearrange(HALVES_HIGH, z2).intoArray(dst, o + 5 * NR);
            y3.rearrange(HALVES_LOW, z3).intoArray(dst, o + 6 * NR);
            y3.rearrange(HALVES_HIGH, z3).intoArray(dst, o + 7 * NR);
        }
        for (; p < kc; p++) {
            for (int j = 0; j < 8; j++) {
                dst[out + p * NR + j] = b[src + j * ldb + p];
            }
        }
    }

    /** Packs op(B)[p0 .. p0 + kc, j0 .. j0 + cols) of {@code g} into {@code dst}. */
    static void packB(GemmProduct g, int p0, int kc, int j0, int cols, float[] dst) {
        float[] b = g.b();
        int ldb = g.ldb(), full = cols / NR * NR;
        if (full < cols) {
            Arrays.fill(dst, full * kc, (full + NR) * kc, 0f);
        }
        if (g.transB()) {
            // B is stored n x k: each column of op(B) is contiguous along k.
            int j = 0;
            if (LANES == 8) {
                for (; j + 8 <= full; j += 8) {
                    transpose8(b, g.bBase() + (j0 + j) * ldb + p0, ldb, kc, dst, (j / NR * NR) * kc + j % NR);
                }
            }
            for (; j < cols; j++) {
                int src = g.bBase() + (j0 + j) * ldb + p0, o = (j / NR * NR) * kc + j % NR;
                for (int p = 0; p < kc; p++) {
                    dst[o + p * NR] = b[src + p];
                }
            }
        } else {
            // B is stored k x n: a few of its rows at a time, NR values (two vectors) of each to each sliver in turn.
            for (int q = 0; q < kc; q += STEPS) {
                int qe = Math.min(kc, q + STEPS);
                for (int t = 0; t < full; t += NR) {
                    for (int p = q, src = g.bBase() + (p0 + q) * ldb + j0 + t; p < qe; p++, src += ldb) {
                        int o = t * kc + p * NR;
                        FloatVector.fromArray(SPECIES, b, src).intoArray(dst, o);
                        FloatVector.fromArray(SPECIES, b, src + LANES).intoArray(dst, o + LANES);
                    }
                }
            }
            for (int p = 0; p < kc; p++) {
                int src = g.bBase() + (p0 + p) * ldb + j0, o = p * NR;
                for (int j = full; j < cols; j++) {
                    dst[o + full * kc + j - full] = b[src + j];
                }
            }
        }
    }
}
