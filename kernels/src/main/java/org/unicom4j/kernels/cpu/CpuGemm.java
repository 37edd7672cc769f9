package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.GemmKernels;

/**
 * SGEMM on the CPU: C = alpha * op(A) op(B) + beta * C, row-major, strided batches. Batches whose members can
 * be shared out evenly run whole members on each thread. A single product is split into one band of C per
 * thread, each run by {@link BlockedGemm} with the thread's own packed blocks, so the threads never wait for
 * each other. Bands of columns make every thread pack all of op(A) and bands of rows all of op(B); the split
 * takes the dimension whose other operand is the smaller one to pack twice.
 */
final class CpuGemm implements GemmKernels {
    /** Below this many multiply-adds a product is not split between threads: the hand-off costs more. */
    private static final long MIN_SPLIT_WORK = 1L << 18;

    private final ParallelLoop loop;
    private final WorkspacePool<GemmWorkspace> workspaces = new WorkspacePool<>(GemmWorkspace::new);

    CpuGemm(ParallelLoop loop) {
        this.loop = loop;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     DeviceFloats da, int lda, long strideA, DeviceFloats db, int ldb, long strideB,
                     float beta, DeviceFloats dc, int ldc, long strideC, int batch) {
        CpuFloats a = (CpuFloats) da, b = (CpuFloats) db, c = (CpuFloats) dc;
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
                        GemmProduct g = new GemmProduct(transA, transB, m, n, k, alpha, av, aOff + (int) (t * strideA),
                                lda, bv, bOff + (int) (t * strideB), ldb, beta, cv, cOff + (int) (t * strideC), ldc);
                        BlockedGemm.multiply(g, 0, m, 0, n, ws);
                    }
                } finally {
                    workspaces.giveBack(ws);
                }
            });
        } else {
            for (int t = 0; t < batch; t++) {
                shared(new GemmProduct(transA, transB, m, n, k, alpha, av, aOff + (int) (t * strideA), lda, bv,
                        bOff + (int) (t * strideB), ldb, beta, cv, cOff + (int) (t * strideC), ldc));
            }
        }
    }

    /** One product on every thread of the loop, one band of C's columns or rows each. */
    private void shared(GemmProduct g) {
        int threads = loop.threads(), m = g.m(), n = g.n();
        int colSlivers = slivers(n, NR), rowSlivers = slivers(m, MR);
        // Bands of columns repack all of op(A) on every thread, bands of rows all of op(B): take the cheaper.
        // Interleaving rows (A stored m x k, B stored n x k) costs about twice a plain copy per float.
        long repackA = (long) m * g.k() * (g.transA() ? 1 : 2), repackB = (long) n * g.k() * (g.transB() ? 2 : 1);
        boolean byColumns = colSlivers >= threads && (repackA <= repackB || rowSlivers < threads);
        int slivers = byColumns ? colSlivers : rowSlivers, unit = byColumns ? NR : MR;
        int bands = Math.min(threads, slivers);
        loop.forRange(bands, (long) m * n * g.k() / bands, (t0, t1) -> {
            GemmWorkspace ws = workspaces.borrow();
            try {
                for (int t = t0; t < t1; t++) {
                    int from = (int) ((long) slivers * t / bands) * unit;
                    int to = (int) Math.min(byColumns ? n : m, (long) slivers * (t + 1) / bands * unit);
                    if (byColumns) {
                        BlockedGemm.multiply(g, 0, m, from, to, ws);
                    } else {
                        BlockedGemm.multiply(g, from, to, 0, n, ws);
                    }
                }
            } finally {
                workspaces.giveBack(ws);
            }
        });
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
