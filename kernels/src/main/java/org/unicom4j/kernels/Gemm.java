package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.nonNegative;
import static org.unicom4j.kernels.ArgumentCheck.view;

import org.unicom4j.kernels.spi.GemmKernels;

/**
 * The GEMM family of a {@link Backend}: C = alpha * A B + beta * C on {@link Matrix} views, where A and B may be
 * transposed views ({@link Matrix#transpose()}) and C may not. A is m x k, B k x n, C m x n; the views' shapes
 * must agree. With beta = 0, C is not read (NaNs there are ignored).
 *
 * <pre>{@code
 * // a linear layer, y = x W^T with W [out, in]
 * backend.gemm().multiply(1f, Matrix.of(x, rows, in), Matrix.of(w, out, in).transpose(), 0f, Matrix.of(y, rows, out));
 * }</pre>
 */
public final class Gemm {
    private final Backend owner;
    private final GemmKernels impl;

    Gemm(Backend owner, GemmKernels impl) {
        this.owner = owner;
        this.impl = impl;
    }

    /** c = alpha * a b + beta * c. */
    public void multiply(float alpha, Matrix a, Matrix b, float beta, Matrix c) {
        multiplyBatched(1, alpha, a, 0, b, 0, beta, c, 0);
    }

    /**
     * {@link #multiply} on {@code batch} triples of the views' shapes, the t-th starting t * stride elements
     * after each view's start (attention's per-head products).
     */
    public void multiplyBatched(int batch, float alpha, Matrix a, long strideA, Matrix b, long strideB, float beta,
                                Matrix c, long strideC) {
        String kn = "gemm";
        nonNegative(kn, "batch", batch);
        view(owner, kn, "a", a, batch, strideA);
        view(owner, kn, "b", b, batch, strideB);
        view(owner, kn, "c", c, batch, strideC);
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (b.rows() != k || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException(kn + ": shapes do not chain: a " + a.rows() + " x " + a.cols()
                    + ", b " + b.rows() + " x " + b.cols() + ", c " + c.rows() + " x " + c.cols());
        }
        if (c.transposed()) {
            throw new IllegalArgumentException(kn + ": c must not be a transposed view");
        }
        if (m == 0 || n == 0 || batch == 0) {
            return;
        }
        KernelListener l = owner.started(kn);
        impl.gemm(a.transposed(), b.transposed(), m, n, k, alpha, a.data(), a.ld(), strideA, b.data(), b.ld(),
                strideB, beta, c.data(), c.ld(), strideC, batch);
        if (l != null) {
            l.finished(kn, (a.transposed() ? "T" : "N") + (b.transposed() ? "T" : "N") + " " + m + "x" + n + "x" + k
                    + (batch > 1 ? " x" + batch : ""), 2.0 * m * n * k * batch);
        }
    }
}
