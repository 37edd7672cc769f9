package org.unicom4j.kernels.spi;

import org.unicom4j.kernels.DeviceFloats;

/** GEMM in the BLAS form. See {@link org.unicom4j.kernels.Gemm} for the contract. */
public interface GemmKernels {

    /**
     * C_t = alpha * op(A_t) op(B_t) + beta * C_t for t in [0, batch), the t-th operands starting t * stride
     * elements into their buffers; op(A) is m x k, op(B) k x n, all row-major. Called with m, n, batch > 0.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              DeviceFloats a, int lda, long strideA, DeviceFloats b, int ldb, long strideB,
              float beta, DeviceFloats c, int ldc, long strideC, int batch);
}
