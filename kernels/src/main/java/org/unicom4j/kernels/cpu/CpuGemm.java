package org.unicom4j.kernels.cpu;

/**
 * SGEMM on the CPU: C = alpha * op(A) op(B) + beta * C, row-major, strided batches. Work is cut into tasks
 * (a batch member, or a share of one product's rows or columns when there are fewer members than threads),
 * and each thread runs {@link BlockedGemm} on its tasks with a pooled {@link GemmWorkspace}.
 */
final class CpuGemm {
    /** Below this many multiply-adds a product is not split between threads: the hand-off costs more. */
    private static final long MIN_SPLIT_WORK = 1L << 18;

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
        // Split each product when the members alone cannot keep every thread busy.
        int threads = loop.threads();
        boolean splitRows = m >= n;
        int slivers = splitRows ? (m + GemmMicroKernel.MR - 1) / GemmMicroKernel.MR
                : (n + GemmMicroKernel.NR - 1) / GemmMicroKernel.NR;
        int parts = batch % threads == 0 || work < MIN_SPLIT_WORK ? 1 : Math.min(threads, slivers);
        loop.forRange(batch * parts, work / parts, (from, to) -> {
            GemmWorkspace ws = workspaces.borrow();
            try {
                for (int task = from; task < to; task++) {
                    int t = task / parts, part = task % parts;
                    int lo = (int) ((long) slivers * part / parts), hi = (int) ((long) slivers * (part + 1) / parts);
                    int m0 = 0, m1 = m, n0 = 0, n1 = n;
                    if (splitRows) {
                        m0 = lo * GemmMicroKernel.MR;
                        m1 = Math.min(m, hi * GemmMicroKernel.MR);
                    } else {
                        n0 = lo * GemmMicroKernel.NR;
                        n1 = Math.min(n, hi * GemmMicroKernel.NR);
                    }
                    BlockedGemm.multiply(ws, transA, transB, m0, m1, n0, n1, k, alpha,
                            av, aOff + (int) (t * strideA), lda, bv, bOff + (int) (t * strideB), ldb,
                            beta, cv, cOff + (int) (t * strideC), ldc);
                }
            } finally {
                workspaces.giveBack(ws);
            }
        });
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
