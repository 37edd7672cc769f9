package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;

/**
 * The cache-blocked loop nest of SGEMM (Goto and van de Geijn, "Anatomy of high-performance matrix
 * multiplication", ACM TOMS 2008) on one thread, for a rectangle of C: a KC x NC panel of op(B) is packed to
 * stay in L3, an MC x KC block of op(A) to stay in L2, and the micro-kernel sweeps one KC x NR sliver of B
 * (kept in L1) against every MR x KC sliver of A.
 */
final class BlockedGemm {
    /**
     * Depth of a packed block: a KC x NR sliver of B (16 KiB for NR = 16) plus an MR x KC sliver of A (4 KiB)
     * fit the 32 KiB L1d of Zen 3 and recent Intel cores.
     */
    static final int KC = 256;
    /** Rows of A per block: MC x KC floats = 192 KiB, under half of a 512 KiB L2. */
    static final int MC = 48 * MR;
    /** Columns of B per panel: KC x NC floats = 3 MiB per thread, a share of a shared L3. */
    static final int NC = 192 * NR;

    private BlockedGemm() {
    }

    /**
     * C[m0..m1, n0..n1) = alpha * op(A) op(B) + beta * C over that rectangle, for one matrix of a batch.
     * Bases are the indices of element [0, 0] of each matrix in its array.
     */
    static void multiply(GemmWorkspace ws, boolean transA, boolean transB, int m0, int m1, int n0, int n1, int k,
                         float alpha, float[] a, int aBase, int lda, float[] b, int bBase, int ldb,
                         float beta, float[] c, int cBase, int ldc) {
        int kBlock = balanced(k, KC, 1);
        int mBlock = balanced(m1 - m0, MC, MR);
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            for (int pc = 0; pc < k; pc += kBlock) {
                int kc = Math.min(kBlock, k - pc);
                GemmPacking.packB(transB, b, bBase, ldb, pc, kc, jc, nc, ws.packedB);
                // Later depth blocks add to what the first one wrote.
                float betaHere = pc == 0 ? beta : 1f;
                for (int ic = m0; ic < m1; ic += mBlock) {
                    int mc = Math.min(mBlock, m1 - ic);
                    GemmPacking.packA(transA, a, aBase, lda, ic, mc, pc, kc, ws.packedA);
                    macroKernel(ws, kc, mc, nc, alpha, betaHere, c, cBase + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /** Every MR x NR tile of an mc x nc block of C from the packed A block and B panel. */
    private static void macroKernel(GemmWorkspace ws, int kc, int mc, int nc, float alpha, float beta, float[] c,
                                    int cOff, int ldc) {
        float[] ap = ws.packedA, bp = ws.packedB;
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                GemmMicroKernel.multiply(kc, ap, ir * kc, bp, jr * kc, ws.tile);
                GemmMicroKernel.store(ws.tile, c, cOff + ir * ldc + jr, ldc, Math.min(MR, mc - ir), cols, alpha,
                        beta);
            }
        }
    }

    /**
     * The block size (a multiple of {@code unit}, at most {@code max}) that splits {@code total} into the
     * fewest, most even blocks: 300 with max 256 gives 150 + 150 rather than 256 + 44.
     */
    static int balanced(int total, int max, int unit) {
        int blocks = Math.max(1, (total + max - 1) / max);
        int size = (total + blocks - 1) / blocks;
        return Math.min(max, (size + unit - 1) / unit * unit);
    }
}
