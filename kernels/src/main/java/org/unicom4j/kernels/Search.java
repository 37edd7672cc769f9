package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.matrix;
import static org.unicom4j.kernels.ArgumentCheck.positive;
import static org.unicom4j.kernels.ArgumentCheck.vector;

import org.unicom4j.kernels.spi.SearchKernels;

/** The search family of a {@link Backend}: per-row top-k and squared-L2 distance matrices. */
public final class Search {
    private final Backend owner;
    private final SearchKernels impl;

    Search(Backend owner, SearchKernels impl) {
        this.owner = owner;
        this.impl = impl;
    }

    /**
     * Per-row top-k of x [rows, cols]: values and indices [rows, k], best first (largest when {@code largest},
     * else smallest), ties broken by the lower column index.
     */
    public void topK(DeviceFloats x, int rows, int cols, int k, boolean largest, DeviceFloats values,
                     DeviceInts indices) {
        String kn = "topK";
        positive(kn, "k", k);
        if (k > cols) {
            throw new IllegalArgumentException(kn + ": k = " + k + " exceeds the row length " + cols);
        }
        matrix(owner, kn, "x", x, rows, cols);
        vector(owner, kn, "values", values, (long) rows * k);
        vector(owner, kn, "indices", indices, (long) rows * k);
        KernelListener l = owner.started(kn);
        impl.topK(x, rows, cols, k, largest, values, indices);
        Backend.finished(l, kn);
    }

    /** out[i, j] = max(0, ||x[i] - y[j]||^2) for x [n, d] and y [m, d]. */
    public void squaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d) {
        String kn = "squaredL2Distances";
        matrix(owner, kn, "x", x, n, d);
        matrix(owner, kn, "y", y, m, d);
        matrix(owner, kn, "out", out, n, m);
        KernelListener l = owner.started(kn);
        impl.squaredL2Distances(x, y, out, n, m, d);
        if (l != null) {
            l.finished(kn, "", 2.0 * n * m * d);
        }
    }
}
