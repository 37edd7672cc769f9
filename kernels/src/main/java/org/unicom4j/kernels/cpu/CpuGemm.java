package org.unicom4j.kernels.cpu;

/**
 * SGEMM on the CPU: C = alpha * op(A) op(B) + beta * C, row-major, strided batches.
 * (Scalar first version; the packed, register-blocked Vector API kernel replaces the body.)
 */
final class CpuGemm {
    private final ParallelLoop loop;

    CpuGemm(ParallelLoop loop) {
        this.loop = loop;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              CpuFloats a, int lda, long strideA, CpuFloats b, int ldb, long strideB,
              float beta, CpuFloats c, int ldc, long strideC, int batch) {
        float[] av = a.array(), bv = b.array(), cv = c.array();
        for (int t = 0; t < batch; t++) {
            int aBase = a.offset() + (int) (t * strideA), bBase = b.offset() + (int) (t * strideB);
            int cBase = c.offset() + (int) (t * strideC);
            loop.forRange(m, (long) n * k, (from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < n; j++) {
                        float sum = 0f;
                        for (int p = 0; p < k; p++) {
                            float x = av[aBase + (transA ? p * lda + i : i * lda + p)];
                            float y = bv[bBase + (transB ? j * ldb + p : p * ldb + j)];
                            sum += x * y;
                        }
                        int ci = cBase + i * ldc + j;
                        cv[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * cv[ci];
                    }
                }
            });
        }
    }
}
