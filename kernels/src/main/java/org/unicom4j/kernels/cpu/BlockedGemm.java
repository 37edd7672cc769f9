package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;

/**
 * The cache-blocked loops of SGEMM over packed panels (after Goto and van de Geijn, "Anatomy of
 * high-performance matrix multiplication", ACM TOMS 2008), for one thread: C[rows, cols] from a packed panel
 * of op(A) rows and a packed panel of op(B) columns, both covering the whole depth. An MC x NC block of C is
 * accumulated over every depth block in a contiguous buffer (which stays in L2) and written to C once, with
 * alpha and beta: C itself may be too large to stay cached between depth blocks, and rows a power of two
 * apart alias in the caches; a tile that misses costs a memory round trip the Vector API cannot prefetch.
 */
final class BlockedGemm {
    /**
     * Depth of a block: a KC x NR sliver of B (16 KiB for NR = 16) plus an MR x KC sliver of A (4 KiB)
     * fit the 32 KiB L1d of Zen 3 and recent Intel cores.
     */
    static final int KC = 256;
    /** Rows per block: the MC x KC block of A (192 KiB) and the accumulators (96 KiB at NC) share L2. */
    static final int MC = 48 * MR;
    /** Columns of C per B panel, at most. */
    static final int NC = 8 * NR;

    private BlockedGemm() {
    }

    /**
     * C[r0..r1, 0..cols) = alpha * A B + beta * C, with A the packed panel of {@code aRows} rows and B the
     * packed panel of {@code cols} (at most NC) columns, depth k in blocks of kBlock (see {@link GemmPacking});
     * r0 is a multiple of MR and C's element [0, 0] (panel row 0, panel column 0) is c[cOff].
     */
    static void multiply(float[] ap, int aRows, int r0, int r1, float[] bp, int cols, int k, int kBlock,
                         float alpha, float beta, float[] c, int cOff, int ldc, float[] acc) {
        int aWidth = GemmPacking.padded(aRows, MR), bWidth = GemmPacking.padded(cols, NR);
        int mBlock = balanced(r1 - r0, MC, MR);
        for (int ic = r0; ic < r1; ic += mBlock) {
            int mc = Math.min(mBlock, r1 - ic), tilesDown = GemmPacking.padded(mc, MR) / MR;
            for (int pc = 0; pc < k; pc += kBlock) {
                int kc = Math.min(kBlock, k - pc), aOff = pc * aWidth + ic * kc, bOff = pc * bWidth;
                for (int jr = 0; jr < cols; jr += NR) {
                    int tile = jr / NR * tilesDown;
                    for (int ir = 0; ir < mc; ir += MR, tile++) {
                        GemmMicroKernel.multiply(kc, ap, aOff + ir * kc, bp, bOff + jr * kc, acc, tile * MR * NR,
                                pc > 0);
                    }
                }
            }
            // Row by row of tiles, so each row of C is written front to back.
            for (int ir = 0; ir < mc; ir += MR) {
                for (int jr = 0; jr < cols; jr += NR) {
                    int tile = jr / NR * tilesDown + ir / MR;
                    GemmMicroKernel.store(acc, tile * MR * NR, c, cOff + (ic + ir) * ldc + jr, ldc,
                            Math.min(MR, mc - ir), Math.min(NR, cols - jr), alpha, beta);
                }
            }
        }
    }

    /**
     * The block size (a multiple of {@code unit}, at most {@code max} unless unit is larger) that splits
     * {@code total} into the fewest, most even blocks: 300 with max 256 gives 150 + 150 rather than 256 + 44.
     */
    static int balanced(int total, int max, int unit) {
        int blocks = Math.max(1, (total + max - 1) / max);
        int size = (total + blocks - 1) / blocks;
        return Math.max(unit, Math.min(max, (size + unit - 1) / unit * unit));
    }
}
