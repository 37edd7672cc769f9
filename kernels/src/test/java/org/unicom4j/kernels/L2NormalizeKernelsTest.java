package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.ReferenceCheck.download;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row L2 normalisation and its backward against the reference backend, and (the reference too) ND4J's norm2 and
 * central differences.
 */
class L2NormalizeKernelsTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 3}, {17, 17}, {5, 129}, {129, 8}, {3, 1000}, {2, 1031},
        {300, 512}};
    private static final float EPS = 1e-12f;

    /** x / max(||x||, eps) per row in double: the function central differences differentiate. */
    static double[] forwardInDouble(double[] x, int rows, int cols, double eps) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int c = 0; c < cols; c++) {
                ss += x[r * cols + c] * x[r * cols + c];
            }
            double n = Math.max(Math.sqrt(ss), eps);
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = x[r * cols + c] / n;
            }
        }
        return y;
    }

    /** Gaussian rows, the second one zero (its norm clamps to eps and its y is 0). */
    private static float[] input(int rows, int cols) {
        float[] x = TestData.gaussian(rows * 3L + cols, rows * cols, 1.0);
        if (rows > 2) {
            java.util.Arrays.fill(x, cols, 2 * cols, 0f);
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void forwardAndBackwardMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            float[] x = input(rows, cols), w = TestData.uniform(rows + 11L * cols, rows * cols);
            ReferenceCheck.agrees(backend, Tolerance.forReduction(cols) * 2,
                    "l2NormalizeRows and backward " + rows + "x" + cols, be -> {
                        try (DeviceFloats dx = floats(be, x); DeviceFloats y = be.buffers().allocFloats(x.length);
                             DeviceFloats norms = be.buffers().allocFloats(rows); DeviceFloats dy = floats(be, w);
                             DeviceFloats g = be.buffers().allocFloats(x.length)) {
                            be.layers().l2NormalizeRows(dx, y, norms, rows, cols, EPS);
                            be.buffers().fill(g, Float.NaN); // dx is overwritten, never read
                            be.layers().l2NormalizeRowsBackward(y, norms, dy, g, rows, cols);
                            be.layers().l2NormalizeRows(dx, dx, norms, rows, cols, EPS); // in place
                            be.layers().l2NormalizeRowsBackward(y, norms, dy, dy, rows, cols); // dx aliases dy
                            return download(be, y, norms, g, dx, dy);
                        }
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void forwardDividesByTheClampedNd4jNorm(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = input(rows, cols);
            try (DeviceFloats dx = floats(backend, x); DeviceFloats y = backend.buffers().allocFloats(rows * cols);
                 DeviceFloats norms = backend.buffers().allocFloats(rows)) {
                backend.layers().l2NormalizeRows(dx, y, norms, rows, cols, EPS);
                INDArray nx = DeviceArrays.nd(x, rows, cols);
                float[] nd = DeviceArrays.host(nx.norm2(1));
                for (int r = 0; r < rows; r++) {
                    nd[r] = Math.max(nd[r], EPS);
                }
                double tol = Tolerance.forReduction(cols);
                assertClose(nd, backend.buffers().download(norms), tol, "norms vs ND4J norm2 " + what);
                float[] ny = DeviceArrays.host(nx.divColumnVector(DeviceArrays.nd(nd, rows, 1)));
                assertClose(ny, backend.buffers().download(y), tol, "y vs ND4J " + what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void backwardMatchesCentralDifferences(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : new int[][] {{1, 1}, {3, 3}, {17, 17}, {3, 129}}) {
            int rows = s[0], cols = s[1];
            float[] x = TestData.gaussian(rows * 7L + cols, rows * cols, 2.0);
            float[] w = TestData.uniform(rows + 11L * cols, rows * cols);
            double[] xd = toDouble(x), wd = toDouble(w);
            try (DeviceFloats dx = floats(backend, x); DeviceFloats dy = floats(backend, w);
                 DeviceFloats out = backend.buffers().allocFloats(rows * cols);
                 DeviceFloats dn = backend.buffers().allocFloats(rows)) {
                backend.layers().l2NormalizeRows(dx, out, dn, rows, cols, EPS);
                backend.layers().l2NormalizeRowsBackward(out, dn, dy, dx, rows, cols);
                double[] numeric = CentralDifference.gradient(
                        v -> CentralDifference.weightedSum(wd, forwardInDouble(v, rows, cols, EPS)), xd);
                assertClose(numeric, backend.buffers().download(dx), 1e-4,
                        "l2NormalizeRowsBackward vs central differences " + rows + "x" + cols);
            }
        }
    }
}
