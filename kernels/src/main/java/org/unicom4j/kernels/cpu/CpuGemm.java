package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;

/**
 * SGEMM on the CPU: C = alpha * op(A) op(B) + beta * C, row-major, strided batches. Batches whose members can
 * be shared out evenly run one member per thread at a time. A single large product runs in two parallel
 * phases: the threads first pack op(A) into one shared panel, then each packs the B panels of its own share
 * of C's columns (or, for narrow C, its rows) and runs {@link BlockedGemm} on it, so nothing is packed twice.
 */
final class CpuGemm {
    /** Below this many multiply-adds a product is not split between threads: the hand-off costs more. */
    private static final long MIN_SPLIT_WORK = 1L << 18;
    /** Upper bound on the shared A panel (rows x depth), 16 MiB; taller products are done in row chunks. */
    private static final int A_PANEL_FLOATS = 1 << 22;

    private final ParallelLoop loop;
    private final WorkspacePool<GemmWorkspace> workspaces = new WorkspacePool<>(GemmWorkspace::new);

    CpuGemm(ParallelLoop loop) {
        this.loop = loop;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              CpuFloats a, int lda, long strideA, CpuFloats b, int ldb, long strideB,
              float beta, CpuFloats c, int ldc, long strideC, int batch) {
        float[] av = a.array(), bv = b.array(), cv = c.array();
        int aOff = a.offset(), bOff = b.offset(), cOff = c.offset();
        if (k == 0 || alpha == 0f) {
            for (int t = 0; t < batch; t++) {
                scale(cv, cOff + (int) (t * strideC), ldc, m, n, beta);
            }
            return;
        }
        long work = (long) m * n * k;
        int threads = loop.threads();
        boolean memberPerThread = threads == 1 || work < MIN_SPLIT_WORK || batch % threads == 0
                || batch >= 4 * threads;
        if (memberPerThread) {
            loop.forRange(batch, work, (from, to) -> {
                GemmWorkspace ws = workspaces.borrow();
                try {
                    for (int t = from; t < to; t++) {
                        product(transA, transB, m, n, k, alpha, av, aOff + (int) (t * strideA), lda,
                                bv, bOff + (int) (t * strideB), ldb, beta, cv, cOff + (int) (t * strideC), ldc)
                                .runAlone(ws);
                    }
                } finally {
                    workspaces.giveBack(ws);
                }
            });
        } else {
            for (int t = 0; t < batch; t++) {
                product(transA, transB, m, n, k, alpha, av, aOff + (int) (t * strideA), lda,
                        bv, bOff + (int) (t * strideB), ldb, beta, cv, cOff + (int) (t * strideC), ldc).runShared();
            }
        }
    }

    private Product product(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aBase,
                            int lda, float[] b, int bBase, int ldb, float beta, float[] c, int cBase, int ldc) {
        return new Product(transA, transB, m, n, k, alpha, a, aBase, lda, b, bBase, ldb, beta, c, cBase, ldc);
    }

    /** One member of a batch; bases are the array indices of element [0, 0] of A, B and C. */
    private final class Product {
        final boolean transA, transB;
        final int m, n, k, lda, ldb, ldc, aBase, bBase, cBase, kBlock, chunkRows;
        final float alpha, beta;
        final float[] a, b, c;

        Product(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aBase, int lda,
                float[] b, int bBase, int ldb, float beta, float[] c, int cBase, int ldc) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aBase = aBase;
            this.lda = lda;
            this.b = b;
            this.bBase = bBase;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cBase = cBase;
            this.ldc = ldc;
            this.kBlock = BlockedGemm.balanced(k, BlockedGemm.KC, 1);
            this.chunkRows = BlockedGemm.balanced(m, Math.max(MR, A_PANEL_FLOATS / k / MR * MR), MR);
        }

        /** The whole product on the calling thread. */
        void runAlone(GemmWorkspace ws) {
            for (int i0 = 0; i0 < m; i0 += chunkRows) {
                int rows = Math.min(chunkRows, m - i0);
                float[] ap = ws.panelA(GemmPacking.padded(rows, MR) * k);
                GemmPacking.packA(transA, a, aBase, lda, i0, rows, k, kBlock, 0, slivers(rows, MR), ap);
                columns(ws, ap, i0, rows, 0, rows, 0, n);
            }
        }

        /** The product on every thread of the loop: shared A panel, then C split by columns or rows. */
        void runShared() {
            GemmWorkspace shared = workspaces.borrow();
            try {
                for (int chunk = 0; chunk < m; chunk += chunkRows) {
                    int i0 = chunk, rows = Math.min(chunkRows, m - i0), rowSlivers = slivers(rows, MR);
                    float[] ap = shared.panelA(GemmPacking.padded(rows, MR) * k);
                    loop.forRange(rowSlivers, (long) MR * k,
                            (s0, s1) -> GemmPacking.packA(transA, a, aBase, lda, i0, rows, k, kBlock, s0, s1, ap));
                    int colSlivers = slivers(n, NR);
                    if (colSlivers >= 4 * loop.threads() || colSlivers >= rowSlivers) {
                        loop.forRange(colSlivers, (long) rows * k * NR, (t0, t1) -> withWorkspace(
                                ws -> columns(ws, ap, i0, rows, 0, rows, t0 * NR, Math.min(n, t1 * NR))));
                    } else {
                        // Narrow C: each thread takes a share of the rows and packs all of (the small) B.
                        loop.forRange(rowSlivers, (long) n * k * MR, (s0, s1) -> withWorkspace(
                                ws -> columns(ws, ap, i0, rows, s0 * MR, Math.min(rows, s1 * MR), 0, n)));
                    }
                }
            } finally {
                workspaces.giveBack(shared);
            }
        }

        /**
         * C[i0 + r0 .. i0 + r1, j0..j1) from the packed A panel of rows i0 .. i0 + aRows, packing B panels of
         * at most {@link BlockedGemm#NC} columns, all of about the same width.
         */
        private void columns(GemmWorkspace ws, float[] ap, int i0, int aRows, int r0, int r1, int j0, int j1) {
            int nc = BlockedGemm.balanced(j1 - j0, BlockedGemm.NC, NR);
            for (int jc = j0; jc < j1; jc += nc) {
                int cols = Math.min(nc, j1 - jc);
                float[] bp = ws.panelB(GemmPacking.padded(cols, NR) * k);
                GemmPacking.packB(transB, b, bBase, ldb, k, kBlock, jc, cols, bp);
                BlockedGemm.multiply(ap, aRows, r0, r1, bp, cols, k, kBlock, alpha, beta, c, cBase + i0 * ldc + jc,
                        ldc, ws.accumulators);
            }
        }
    }

    private void withWorkspace(java.util.function.Consumer<GemmWorkspace> body) {
        GemmWorkspace ws = workspaces.borrow();
        try {
            body.accept(ws);
        } finally {
            workspaces.giveBack(ws);
        }
    }

    private static int slivers(int count, int unit) {
        return (count + unit - 1) / unit;
    }

    /** C = beta * C for an empty product; beta = 0 writes zeros without reading C. */
    private static void scale(float[] c, int base, int ldc, int m, int n, float beta) {
        for (int i = 0; i < m; i++) {
            int row = base + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = beta == 0f ? 0f : beta * c[row + j];
            }
        }
    }
}
