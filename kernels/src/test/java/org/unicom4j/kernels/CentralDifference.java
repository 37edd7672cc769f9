package org.unicom4j.kernels;

import java.util.function.ToDoubleFunction;

/**
 * Numerical gradients by central differences of a double-precision scalar function: the reference that
 * backward kernels are checked against (truncation error O(h^2), rounding ~1e-16 / h, both far below float32).
 */
public final class CentralDifference {
    private static final double STEP = 1e-5;

    private CentralDifference() {
    }

    /** d f / d x at x (x is restored on return). */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double saved = x[i];
            x[i] = saved + STEP;
            double up = f.applyAsDouble(x);
            x[i] = saved - STEP;
            double down = f.applyAsDouble(x);
            x[i] = saved;
            g[i] = (up - down) / (2 * STEP);
        }
        return g;
    }

    /** sum_i w[i] y[i]: a scalar loss whose gradient with respect to y is w. */
    public static double weightedSum(double[] w, double[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += w[i] * y[i];
        }
        return s;
    }
}
