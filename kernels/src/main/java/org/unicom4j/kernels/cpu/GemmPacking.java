package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.LANES;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Copies op(A) and op(B) into the sliver order {@link GemmMicroKernel} streams: A as MR-row slivers (k-major,
 * MR values per step), B as NR-column slivers (k-major, NR values per step), zero-padded to whole slivers so
 * the micro-kernel never branches on edges. A panel covers the whole depth as consecutive depth blocks: block
 * p0 of a panel {@code width} slivers-padded wide starts at {@code p0 * width}, and within it sliver s at
 * {@code s * kc}. Transposes are absorbed here; each routine walks its source in memory order.
 */
final class GemmPacking {
    private GemmPacking() {
    }

    /** Rows (or columns) rounded up to whole slivers of {@code unit}. */
    static int padded(int count, int unit) {
        return (count + unit - 1) / unit * unit;
    }

    /**
     * Packs the MR-row slivers {@code s0..s1} of op(A)[i0.., 0..k) in depth blocks of {@code kBlock} into the
     * panel {@code dst} of {@code rows} rows (padded to MR). op(A)[i, p] is a[base + i*lda + p], or
     * a[base + p*lda + i] when {@code trans}.
     */
    static void packA(boolean trans, float[] a, int base, int lda, int i0, int rows, int k, int kBlock, int s0, int s1,
                      float[] dst) {
        int width = padded(rows, MR);
        for (int p0 = 0; p0 < k; p0 += kBlock) {
            int kc = Math.min(kBlock, k - p0);
            for (int s = s0; s < s1; s++) {
                int r0 = s * MR, h = Math.min(MR, rows - r0), out = p0 * width + r0 * kc;
                if (h < MR) {
                    Arrays.fill(dst, out, out + MR * kc, 0f);
                }
                if (trans) {
                    // A is stored k x m: the MR values of one k step are contiguous.
                    for (int p = 0; p < kc; p++) {
                        int src = base + (p0 + p) * lda + i0 + r0, o = out + p * MR;
                        for (int r = 0; r < h; r++) {
                            dst[o + r] = a[src + r];
                        }
                    }
                } else {
                    // A is stored m x k: read each of the MR rows along k, scatter with stride MR.
                    for (int r = 0; r < h; r++) {
                        int src = base + (i0 + r0 + r) * lda + p0, o = out + r;
                        for (int p = 0; p < kc; p++) {
                            dst[o + p * MR] = a[src + p];
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs op(B)[0..k, j0..j0+cols) in depth blocks of {@code kBlock} into the panel {@code dst}.
     * op(B)[p, j] is b[base + p*ldb + j], or b[base + j*ldb + p] when {@code trans}.
     */
    static void packB(boolean trans, float[] b, int base, int ldb, int k, int kBlock, int j0, int cols, float[] dst) {
        int width = padded(cols, NR);
        for (int p0 = 0; p0 < k; p0 += kBlock) {
            int kc = Math.min(kBlock, k - p0);
            for (int t = 0; t < cols; t += NR) {
                int w = Math.min(NR, cols - t), out = p0 * width + t * kc;
                if (w < NR) {
                    Arrays.fill(dst, out, out + NR * kc, 0f);
                }
                if (trans) {
                    // B is stored n x k: each column of op(B) is contiguous along k.
                    for (int j = 0; j < w; j++) {
                        int src = base + (j0 + t + j) * ldb + p0, o = out + j;
                        for (int p = 0; p < kc; p++) {
                            dst[o + p * NR] = b[src + p];
                        }
                    }
                } else if (w == NR) {
                    // B is stored k x n: one k step of a full sliver is NR contiguous values, two vectors.
                    for (int p = 0; p < kc; p++) {
                        int src = base + (p0 + p) * ldb + j0 + t, o = out + p * NR;
                        FloatVector.fromArray(SPECIES, b, src).intoArray(dst, o);
                        FloatVector.fromArray(SPECIES, b, src + LANES).intoArray(dst, o + LANES);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = base + (p0 + p) * ldb + j0 + t, o = out + p * NR;
                        for (int j = 0; j < w; j++) {
                            dst[o + j] = b[src + j];
                        }
                    }
                }
            }
        }
    }
}
