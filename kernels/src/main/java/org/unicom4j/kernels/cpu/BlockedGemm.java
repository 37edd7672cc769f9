package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;

/**
 * The cache-blocked loops of SGEMM for one thread (after Goto and van de Geijn, "Anatomy of high-performance
 * matrix multiplication", ACM TOMS 2008, and the BLIS loop order): for each KC x NC block of op(B), packed once
 * and read from L3, and each MC x KC block of op(A), packed just before use so that it is still in L2, every
 * MR x NR tile of C gets the block's contribution from {@link GemmMicroKernel} and is updated in place (beta
 * on the first depth block, 1 after). Packing A block by block rather than as a whole panel means the A the
 * micro-kernel streams was written moments ago and sits in L2, instead of having gone out to L3 or memory.
 * When the update reads C (beta != 0, or a later depth block), the tile's lines are touched before the
 * micro-kernel runs ({@link GemmMicroKernel#touch}), so the read finds them in L1.
 */
final class BlockedGemm {
    /**
     * Depth of a block, at most. Deep blocks mean few passes over C, and every pass after the first reads C back
     * from L3 or memory (C outgrows L2) at a cost the touch ahead of the micro-kernel only partly hides. That
     * measured costlier than streaming the micro-kernel's B sliver (KC x NR floats, 64 KiB) from L2 instead of
     * L1: on the development machine's Zen 3, single thread, 1024 beat 256 by 10-20% on 1024^3 and the ViT
     * shapes, and 768 by about 5% on 1024^3 (k = 1024 then takes one pass); 2048 was no better (CPU-time runs
     * like bench/SgemmCpuTime's, the configurations alternated in one JVM).
     */
    static final int KC = 1024;
    /** Rows per block of A: MC x KC floats (256 KiB) stay in Zen 3's 512 KiB L2 while every B sliver passes. */
    static final int MC = 16 * MR;
    /**
     * Columns per block of B: KC x NC floats (2 MiB at NR = 16) per thread, read from L3 once per row block;
     * with two threads 512 matched or beat 1024 and 2048 (less of the shared L3 taken).
     */
    static final int NC = 32 * NR;

    private BlockedGemm() {
    }

    /** C[r0..r1, j0..j1) of the product, on the calling thread with its workspace. */
    static void multiply(GemmProduct g, int r0, int r1, int j0, int j1, GemmWorkspace ws) {
        int k = g.k(), kb = balanced(k, KC, 1), mb = balanced(r1 - r0, MC, MR), nb = balanced(j1 - j0, NC, NR);
        float[] tile = ws.tile, c = g.c();
        int ldc = g.ldc();
        float alpha = g.alpha(), touched = 0f;
        for (int jc = j0; jc < j1; jc += nb) {
            int cols = Math.min(nb, j1 - jc);
            for (int pc = 0; pc < k; pc += kb) {
                int kc = Math.min(kb, k - pc);
                float beta = pc == 0 ? g.beta() : 1f;
                float[] bp = ws.blockB(GemmPacking.padded(cols, NR) * kc);
                GemmPacking.packB(g, pc, kc, jc, cols, bp);
                for (int ic = r0; ic < r1; ic += mb) {
                    int rows = Math.min(mb, r1 - ic);
                    float[] ap = ws.blockA(GemmPacking.padded(rows, MR) * kc);
                    GemmPacking.packA(g, ic, rows, pc, kc, ap);
                    for (int jr = 0; jr < cols; jr += NR) {
                        int w = Math.min(NR, cols - jr), cOff = g.cBase() + ic * ldc + jc + jr;
                        for (int ir = 0; ir < rows; ir += MR) {
                            int h = Math.min(MR, rows - ir);
                            if (beta != 0f) {
                                touched += GemmMicroKernel.touch(c, cOff + ir * ldc, ldc, h, w);
                            }
                            GemmMicroKernel.multiply(kc, ap, ir * kc, bp, jr * kc, tile);
                            GemmMicroKernel.store(tile, c, cOff + ir * ldc, ldc, h, w, alpha, beta);
                        }
                    }
                }
            }
        }
        ws.touched = touched;
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
