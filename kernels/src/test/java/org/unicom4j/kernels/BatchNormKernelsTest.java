package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** BatchNorm1d training, evaluation and backward against double-precision references, ND4J and central differences. */
class BatchNormKernelsTest {
    private static final int[][] SHAPES = {{2, 1}, {3, 3}, {17, 17}, {129, 5}, {8, 129}, {1000, 3}, {64, 1031},
        {512, 256}};
    private static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.1f;

    /** Training-mode forward in double: y, batch mean, rstd, and the unbiased variance. */
    record Forward(double[] y, double[] mean, double[] rstd, double[] unbiasedVar) {
    }

    static Forward reference(double[] x, double[] gamma, double[] beta, int rows, int cols, double eps) {
        double[] y = new double[rows * cols], mean = new double[cols], rstd = new double[cols];
        double[] unbiased = new double[cols];
        for (int c = 0; c < cols; c++) {
            double mu = 0, ss = 0;
            for (int r = 0; r < rows; r++) {
                mu += x[r * cols + c];
            }
            mu /= rows;
            for (int r = 0; r < rows; r++) {
                double d = x[r * cols + c] - mu;
                ss += d * d;
            }
            mean[c] = mu;
            rstd[c] = 1 / Math.sqrt(ss / rows + eps);
            unbiased[c] = ss / (rows - 1);
            for (int r = 0; r < rows; r++) {
                y[r * cols + c] = (x[r * cols + c] - mu) * rstd[c] * gamma[c] + beta[c];
            }
        }
        return new Forward(y, mean, rstd, unbiased);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void trainingNormalisesByColumnAndUpdatesRunningStatistics(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = LayerNormKernelsTest.offset(TestData.gaussian(rows * 13L + cols, rows * cols, 3.0), 5f);
            float[] gamma = TestData.uniform(cols + 1, cols), beta = TestData.uniform(cols + 2, cols);
            float[] rm0 = TestData.uniform(cols + 3, cols), rv0 = positive(TestData.uniform(cols + 4, cols));
            try (DeviceFloats dx = floats(backend, x); DeviceFloats dg = floats(backend, gamma);
                 DeviceFloats db = floats(backend, beta); DeviceFloats y = backend.buffers().allocFloats(rows * cols);
                 DeviceFloats mean = backend.buffers().allocFloats(cols);
                 DeviceFloats rstd = backend.buffers().allocFloats(cols);
                 DeviceFloats rm = floats(backend, rm0); DeviceFloats rv = floats(backend, rv0)) {
                backend.layers().batchNormTrain(dx, dg, db, y, mean, rstd, rm, rv, rows, cols, EPS, MOMENTUM);
                Forward ref = reference(toDouble(x), toDouble(gamma), toDouble(beta), rows, cols, EPS);
                double tol = Tolerance.forReduction(rows);
                assertClose(ref.y(), backend.buffers().download(y), tol, "batchNormTrain y " + what);
                assertClose(ref.mean(), backend.buffers().download(mean), tol, "batchNormTrain mean " + what);
                assertClose(ref.rstd(), backend.buffers().download(rstd), tol, "batchNormTrain rstd " + what);
                double[] rmExpected = new double[cols], rvExpected = new double[cols];
                for (int c = 0; c < cols; c++) {
                    rmExpected[c] = (1 - MOMENTUM) * rm0[c] + MOMENTUM * ref.mean()[c];
                    rvExpected[c] = (1 - MOMENTUM) * rv0[c] + MOMENTUM * ref.unbiasedVar()[c];
                }
                assertClose(rmExpected, backend.buffers().download(rm), tol, "batchNormTrain runningMean " + what);
                assertClose(rvExpected, backend.buffers().download(rv), tol, "batchNormTrain runningVar " + what);

                INDArray nx = DeviceArrays.nd(x, rows, cols);
                assertClose(DeviceArrays.host(nx.mean(0)), backend.buffers().download(mean), tol,
                        "mean vs ND4J " + what);
                float[] ndVar = DeviceArrays.host(nx.var(true, 0));
                float[] ndRv = new float[cols];
                for (int c = 0; c < cols; c++) {
                    ndRv[c] = (1 - MOMENTUM) * rv0[c] + MOMENTUM * ndVar[c];
                }
                assertClose(ndRv, backend.buffers().download(rv), 10 * tol, "runningVar vs ND4J unbiased var " + what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void evaluationUsesRunningStatistics(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            float[] x = TestData.gaussian(rows + 77L * cols, rows * cols, 2.0);
            float[] gamma = TestData.uniform(cols + 1, cols), beta = TestData.uniform(cols + 2, cols);
            float[] rm = TestData.uniform(cols + 3, cols), rv = positive(TestData.uniform(cols + 4, cols));
            try (DeviceFloats dx = floats(backend, x); DeviceFloats dg = floats(backend, gamma);
                 DeviceFloats db = floats(backend, beta); DeviceFloats drm = floats(backend, rm);
                 DeviceFloats drv = floats(backend, rv); DeviceFloats y = backend.buffers().allocFloats(rows * cols)) {
                backend.layers().batchNormEval(dx, dg, db, drm, drv, y, rows, cols, EPS);
                double[] expected = new double[rows * cols];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        expected[r * cols + c] = ((double) x[r * cols + c] - rm[c]) / Math.sqrt(rv[c] + (double) EPS)
                                * gamma[c] + beta[c];
                    }
                }
                assertClose(expected, backend.buffers().download(y), 1e-6, "batchNormEval " + rows + "x" + cols);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void backwardOverwritesDxAndAccumulatesParameterGradients(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = TestData.gaussian(rows * 5L + cols, rows * cols, 1.0), gamma = TestData.uniform(cols, cols);
            float[] dy = TestData.uniform(rows + 9L * cols, rows * cols);
            float[] dg0 = TestData.uniform(11, cols), db0 = TestData.uniform(12, cols);
            double[][] ref = referenceBackward(toDouble(dy), toDouble(x), toDouble(gamma), rows, cols);
            float[][] got = runBackward(backend, x, gamma, dy, dg0, db0, rows, cols);
            double tol = Tolerance.forReduction(rows) * 4;
            assertClose(ref[0], got[0], tol, "batchNormBackward dx " + what);
            assertClose(LayerNormKernelsTest.plus(dg0, ref[1]), got[1], tol, "batchNormBackward dGamma " + what);
            assertClose(LayerNormKernelsTest.plus(db0, ref[2]), got[2], tol, "batchNormBackward dBeta " + what);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void backwardMatchesCentralDifferences(String name) {
        Backend backend = TestBackends.get(name);
        int[][] small = {{2, 3}, {5, 17}, {33, 4}};
        for (int[] s : small) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = TestData.gaussian(rows * 3L + cols, rows * cols, 1.0);
            float[] gamma = TestData.uniform(cols + 5, cols), beta = TestData.uniform(cols + 6, cols);
            float[] w = TestData.uniform(cols + 7, rows * cols);
            double[] xd = toDouble(x), gd = toDouble(gamma), bd = toDouble(beta), wd = toDouble(w);
            double[] numDx = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, reference(v, gd, bd, rows, cols, EPS).y()), xd);
            double[] numDg = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, reference(xd, v, bd, rows, cols, EPS).y()), gd.clone());
            double[] numDb = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, reference(xd, gd, v, rows, cols, EPS).y()), bd.clone());
            float[][] got = runBackward(backend, x, gamma, w, new float[cols], new float[cols], rows, cols);
            assertClose(numDx, got[0], 1e-4, "batchNormBackward dx vs central differences " + what);
            assertClose(numDg, got[1], 1e-4, "batchNormBackward dGamma vs central differences " + what);
            assertClose(numDb, got[2], 1e-4, "batchNormBackward dBeta vs central differences " + what);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void trainingRejectsASingleRow(String name) {
        Backend backend = TestBackends.get(name);
        try (DeviceFloats b = backend.buffers().allocFloats(4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.layers().batchNormTrain(b, b, b, b, b, b, b, b, 1, 4, EPS, MOMENTUM));
            assertTrue(e.getMessage().contains("1 row"), e.getMessage());
        }
    }

    static double[][] referenceBackward(double[] dy, double[] x, double[] gamma, int rows, int cols) {
        Forward f = reference(x, gamma, new double[cols], rows, cols, EPS);
        double[] dx = new double[rows * cols], dGamma = new double[cols], dBeta = new double[cols];
        for (int c = 0; c < cols; c++) {
            double sumDy = 0, sumDyXhat = 0;
            for (int r = 0; r < rows; r++) {
                double xhat = (x[r * cols + c] - f.mean()[c]) * f.rstd()[c];
                sumDy += dy[r * cols + c];
                sumDyXhat += dy[r * cols + c] * xhat;
            }
            dGamma[c] = sumDyXhat;
            dBeta[c] = sumDy;
            for (int r = 0; r < rows; r++) {
                double xhat = (x[r * cols + c] - f.mean()[c]) * f.rstd()[c];
                dx[r * cols + c] = gamma[c] * f.rstd()[c] * (dy[r * cols + c] - sumDy / rows - xhat * sumDyXhat / rows);
            }
        }
        return new double[][] {dx, dGamma, dBeta};
    }

    /** Forward in training mode (for mean and rstd), then backward into a dx pre-filled with garbage. */
    private static float[][] runBackward(Backend backend, float[] x, float[] gamma, float[] dyHost, float[] dg0,
                                         float[] db0, int rows, int cols) {
        try (DeviceFloats dx = floats(backend, x); DeviceFloats g = floats(backend, gamma);
             DeviceFloats beta = backend.buffers().allocFloats(cols);
             DeviceFloats y = backend.buffers().allocFloats(rows * cols);
             DeviceFloats mean = backend.buffers().allocFloats(cols);
             DeviceFloats rstd = backend.buffers().allocFloats(cols);
             DeviceFloats rm = backend.buffers().allocFloats(cols);
             DeviceFloats rv = backend.buffers().allocFloats(cols);
             DeviceFloats dy = floats(backend, dyHost); DeviceFloats gx = backend.buffers().allocFloats(rows * cols);
             DeviceFloats gg = floats(backend, dg0); DeviceFloats gb = floats(backend, db0)) {
            backend.layers().batchNormTrain(dx, g, beta, y, mean, rstd, rm, rv, rows, cols, EPS, MOMENTUM);
            backend.buffers().fill(gx, 123f);
            backend.layers().batchNormBackward(dy, dx, g, mean, rstd, gx, gg, gb, rows, cols);
            return new float[][] {backend.buffers().download(gx), backend.buffers().download(gg),
                    backend.buffers().download(gb)};
        }
    }

    private static float[] positive(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.1f + Math.abs(v[i]) * 2;
        }
        return v;
    }
}
