package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.ReferenceCheck.download;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Row LayerNorm forward and backward against the reference backend, and (the reference too) ND4J and central
 * differences.
 */
class LayerNormKernelsTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 3}, {17, 17}, {5, 129}, {129, 8}, {3, 1000}, {2, 1031},
        {200, 768}};
    private static final float EPS = 1e-5f;

    /** LayerNorm's y in double precision: the function central differences differentiate. */
    static double[] forwardInDouble(double[] x, double[] gamma, double[] beta, int rows, int cols, double eps) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double mu = 0, var = 0;
            for (int c = 0; c < cols; c++) {
                mu += x[r * cols + c];
            }
            mu /= cols;
            for (int c = 0; c < cols; c++) {
                double d = x[r * cols + c] - mu;
                var += d * d;
            }
            double inv = 1 / Math.sqrt(var / cols + eps);
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = (x[r * cols + c] - mu) * inv * gamma[c] + beta[c];
            }
        }
        return y;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void forwardAndBackwardMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = offset(TestData.gaussian(rows * 7919L + cols, rows * cols, 2.0), 3f);
            float[] gamma = TestData.uniform(cols + 1, cols), beta = TestData.uniform(cols + 2, cols);
            ReferenceCheck.agrees(backend, Tolerance.forReduction(cols), "layerNorm y, mean, rstd " + what, be -> {
                try (DeviceFloats dx = floats(be, x); DeviceFloats dg = floats(be, gamma);
                     DeviceFloats db = floats(be, beta); DeviceFloats y = be.buffers().allocFloats(rows * cols);
                     DeviceFloats mean = be.buffers().allocFloats(rows);
                     DeviceFloats rstd = be.buffers().allocFloats(rows)) {
                    be.layers().layerNorm(dx, dg, db, y, mean, rstd, rows, cols, EPS);
                    return download(be, y, mean, rstd);
                }
            });
            float[] dy = TestData.uniform(cols + 4, rows * cols), dx0 = TestData.uniform(5, rows * cols);
            float[] dg0 = TestData.uniform(6, cols), db0 = TestData.uniform(7, cols);
            ReferenceCheck.agrees(backend, 4 * Tolerance.forReduction(Math.max(rows, cols)),
                    "layerNormBackward dx, dGamma, dBeta " + what,
                    be -> runBackward(be, x, gamma, dy, dx0, dg0, db0, rows, cols));
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void forwardMatchesNd4j(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            float[] x = offset(TestData.gaussian(rows * 7919L + cols, rows * cols, 2.0), 3f);
            float[] gamma = TestData.uniform(cols + 1, cols), beta = TestData.uniform(cols + 2, cols);
            try (DeviceFloats dx = floats(backend, x); DeviceFloats dg = floats(backend, gamma);
                 DeviceFloats db = floats(backend, beta); DeviceFloats y = backend.buffers().allocFloats(rows * cols);
                 DeviceFloats mean = backend.buffers().allocFloats(rows);
                 DeviceFloats rstd = backend.buffers().allocFloats(rows)) {
                backend.layers().layerNorm(dx, dg, db, y, mean, rstd, rows, cols, EPS);
                INDArray nx = DeviceArrays.nd(x, rows, cols);
                INDArray mu = nx.mean(1).reshape(rows, 1);
                INDArray std = Transforms.sqrt(nx.var(false, 1).addi(EPS)).reshape(rows, 1);
                INDArray ny = nx.subColumnVector(mu).diviColumnVector(std)
                        .muliRowVector(DeviceArrays.nd(gamma, 1, cols)).addiRowVector(DeviceArrays.nd(beta, 1, cols));
                double tol = 10 * Tolerance.forReduction(cols);
                assertClose(DeviceArrays.host(ny), backend.buffers().download(y), tol,
                        "layerNorm y vs ND4J " + rows + "x" + cols);
                assertClose(DeviceArrays.host(mu), backend.buffers().download(mean), tol,
                        "layerNorm mean vs ND4J " + rows + "x" + cols);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void backwardMatchesCentralDifferences(String name) {
        Backend backend = TestBackends.get(name);
        int[][] small = {{1, 3}, {3, 17}, {4, 33}};
        for (int[] s : small) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = TestData.gaussian(rows + 100L * cols, rows * cols, 1.0);
            float[] gamma = TestData.uniform(cols + 8, cols), beta = TestData.uniform(cols + 9, cols);
            float[] w = TestData.uniform(cols + 10, rows * cols);
            double[] xd = toDouble(x), gd = toDouble(gamma), bd = toDouble(beta), wd = toDouble(w);
            double[] numDx = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, forwardInDouble(v, gd, bd, rows, cols, EPS)), xd);
            double[] numDg = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, forwardInDouble(xd, v, bd, rows, cols, EPS)), gd.clone());
            double[] numDb = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, forwardInDouble(xd, gd, v, rows, cols, EPS)), bd.clone());
            float[] got = runBackward(backend, x, gamma, w, new float[rows * cols], new float[cols], new float[cols],
                    rows, cols);
            assertClose(numDx, 0, got, 0, rows * cols, 1e-4, "layerNormBackward dx vs central differences " + what);
            assertClose(numDg, 0, got, rows * cols, cols, 1e-4, "dGamma vs central differences " + what);
            assertClose(numDb, 0, got, rows * cols + cols, cols, 1e-4, "dBeta vs central differences " + what);
        }
    }

    /** Runs forward (for mean and rstd) then backward from the given initial gradients: dx, dGamma, dBeta. */
    private static float[] runBackward(Backend backend, float[] x, float[] gamma, float[] dyHost, float[] dx0,
                                       float[] dg0, float[] db0, int rows, int cols) {
        try (DeviceFloats dx = floats(backend, x); DeviceFloats g = floats(backend, gamma);
             DeviceFloats beta = backend.buffers().allocFloats(cols);
             DeviceFloats y = backend.buffers().allocFloats(rows * cols);
             DeviceFloats mean = backend.buffers().allocFloats(rows);
             DeviceFloats rstd = backend.buffers().allocFloats(rows);
             DeviceFloats dy = floats(backend, dyHost); DeviceFloats gx = floats(backend, dx0);
             DeviceFloats gg = floats(backend, dg0); DeviceFloats gb = floats(backend, db0)) {
            backend.layers().layerNorm(dx, g, beta, y, mean, rstd, rows, cols, EPS);
            backend.layers().layerNormBackward(dy, dx, g, mean, rstd, gx, gg, gb, rows, cols);
            return download(backend, gx, gg, gb);
        }
    }

    static float[] offset(float[] x, float by) {
        for (int i = 0; i < x.length; i++) {
            x[i] += by;
        }
        return x;
    }
}
