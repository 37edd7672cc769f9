package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.GemmKernels;

/** GEMM as the triple loop: each C element one double dot product, rounded once. */
final class ReferenceGemm implements GemmKernels {

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceFloats a, int lda,
                     long strideA, DeviceFloats b, int ldb, long strideB, float beta, DeviceFloats c, int ldc,
                     long strideC, int batch) {
        HostFloats av = new HostFloats(a), bv = new HostFloats(b), cv = new HostFloats(c);
        for (int t = 0; t < batch; t++) {
            long a0 = t * strideA, b0 = t * strideB, c0 = t * strideC;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double x = av.get(a0 + (transA ? (long) p * lda + i : (long) i * lda + p));
                        double y = bv.get(b0 + (transB ? (long) j * ldb + p : (long) p * ldb + j));
                        sum += x * y;
                    }
                    long ci = c0 + (long) i * ldc + j;
                    // beta = 0 does not read C, so NaNs there are ignored
                    cv.set(ci, beta == 0f ? alpha * sum : alpha * sum + beta * cv.get(ci));
                }
            }
        }
    }
}
