package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Row L2 normalisation and its backward against a double reference, ND4J's norm2 and central differences. */
class L2NormalizeKernelsTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 3}, {17, 17}, {5, 129}, {129, 8}, {3, 1000}, {2, 1031},
        {300, 512}};
    private static final float EPS = 1e-12f;

    static double[] reference(double[] x, int rows, int cols, double eps, double[] norms) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int c = 0; c < cols; c++) {
                ss += x[r * cols + c] * x[r * cols + c];
            }
            double n = Math.max(Math.sqrt(ss), eps);
            if (norms != null) {
                norms[r] = n;
            }
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = x[r * cols + c] / n;
            }
        }
        return y;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void forwardDividesByTheClampedNorm(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = TestData.gaussian(rows * 3L + cols, rows * cols, 1.0);
            if (rows > 2) {
                java.util.Arrays.fill(x, cols, 2 * cols, 0f); // a zero row: norm clamps to eps, y = 0
            }
            try (DeviceFloats dx = floats(backend, x); DeviceFloats y = backend.buffers().allocFloats(rows * cols);
                 DeviceFloats norms = backend.buffers().allocFloats(rows)) {
                backend.layers().l2NormalizeRows(dx, y, norms, rows, cols, EPS);
                double[] refNorms = new double[rows];
                double[] ref = reference(toDouble(x), rows, cols, EPS, refNorms);
                double tol = Tolerance.forReduction(cols);
                assertClose(ref, backend.buffers().download(y), tol, "l2NormalizeRows y " + what);
                assertClose(refNorms, backend.buffers().download(norms), tol, "l2NormalizeRows norms " + what);
                float[] nd = DeviceArrays.host(DeviceArrays.nd(x, rows, cols).norm2(1));
                for (int r = 0; r < rows; r++) {
                    nd[r] = Math.max(nd[r], EPS);
                }
                assertClose(nd, backend.buffers().download(norms), tol, "l2NormalizeRows norms vs ND4J norm2 " + what);
                backend.layers().l2NormalizeRows(dx, dx, norms, rows, cols, EPS);
                assertClose(ref, backend.buffers().download(dx), tol, "l2NormalizeRows in place " + what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void backwardMatchesAnalyticReferenceAndCentralDifferences(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = TestData.gaussian(rows * 7L + cols, rows * cols, 2.0);
            float[] w = TestData.uniform(rows + 11L * cols, rows * cols);
            double[] xd = toDouble(x), wd = toDouble(w);
            double[] norms = new double[rows];
            double[] y = reference(xd, rows, cols, EPS, norms);
            double[] expected = new double[rows * cols];
            for (int r = 0; r < rows; r++) {
                double dot = 0;
                for (int c = 0; c < cols; c++) {
                    dot += y[r * cols + c] * wd[r * cols + c];
                }
                for (int c = 0; c < cols; c++) {
                    expected[r * cols + c] = (wd[r * cols + c] - y[r * cols + c] * dot) / norms[r];
                }
            }
            float[] got;
            try (DeviceFloats dx = floats(backend, x); DeviceFloats dy = floats(backend, w);
                 DeviceFloats out = backend.buffers().allocFloats(rows * cols);
                 DeviceFloats dn = backend.buffers().allocFloats(rows)) {
                backend.layers().l2NormalizeRows(dx, out, dn, rows, cols, EPS);
                backend.buffers().fill(dx, Float.NaN); // dx is overwritten, never read
                backend.layers().l2NormalizeRowsBackward(out, dn, dy, dx, rows, cols);
                got = backend.buffers().download(dx);
                assertClose(expected, got, Tolerance.forReduction(cols) * 2, "l2NormalizeRowsBackward " + what);
                backend.layers().l2NormalizeRowsBackward(out, dn, dy, dy, rows, cols); // dx aliases dy
                assertClose(expected, backend.buffers().download(dy), Tolerance.forReduction(cols) * 2,
                        "l2NormalizeRowsBackward in place " + what);
            }
            if ((long) rows * cols <= 600) {
                double[] numeric = CentralDifference.gradient(
                        v -> CentralDifference.weightedSum(wd, reference(v, rows, cols, EPS, null)), xd);
                assertClose(numeric, got, 1e-4, "l2NormalizeRowsBackward vs central differences " + what);
            }
        }
    }
}
