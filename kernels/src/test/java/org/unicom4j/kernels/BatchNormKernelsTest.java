package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.ReferenceCheck.download;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * BatchNorm1d training, evaluation and backward against the reference backend, and (the reference too) ND4J,
 * the evaluation formula and central differences.
 */
class BatchNormKernelsTest {
    private static final int[][] SHAPES = {{2, 1}, {3, 3}, {17, 17}, {129, 5}, {8, 129}, {1000, 3}, {64, 1031},
        {512, 256}};
    private static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.1f;

    /** The training-mode y in double: the function central differences differentiate. */
    static double[] forwardInDouble(double[] x, double[] gamma, double[] beta, int rows, int cols, double eps) {
        double[] y = new double[rows * cols];
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
            double rstd = 1 / Math.sqrt(ss / rows + eps);
            for (int r = 0; r < rows; r++) {
                y[r * cols + c] = (x[r * cols + c] - mu) * rstd * gamma[c] + beta[c];
            }
        }
        return y;
    }

    /** Inputs of a training-mode forward: x offset from zero, gamma, beta, and running statistics to update. */
    private record Inputs(float[] x, float[] gamma, float[] beta, float[] runningMean, float[] runningVar) {
        static Inputs of(int rows, int cols) {
            return new Inputs(LayerNormKernelsTest.offset(TestData.gaussian(rows * 13L + cols, rows * cols, 3.0), 5f),
                    TestData.uniform(cols + 1, cols), TestData.uniform(cols + 2, cols), TestData.uniform(cols + 3, cols),
                    positive(TestData.uniform(cols + 4, cols)));
        }
    }

    /** y, mean, rstd, runningMean, runningVar of batchNormTrain, then y of batchNormEval on the updated statistics. */
    private static float[] trainThenEval(Backend be, Inputs in, int rows, int cols) {
        try (DeviceFloats dx = floats(be, in.x()); DeviceFloats dg = floats(be, in.gamma());
             DeviceFloats db = floats(be, in.beta()); DeviceFloats y = be.buffers().allocFloats(rows * cols);
             DeviceFloats yEval = be.buffers().allocFloats(rows * cols);
             DeviceFloats mean = be.buffers().allocFloats(cols); DeviceFloats rstd = be.buffers().allocFloats(cols);
             DeviceFloats rm = floats(be, in.runningMean()); DeviceFloats rv = floats(be, in.runningVar())) {
            be.layers().batchNormTrain(dx, dg, db, y, mean, rstd, rm, rv, rows, cols, EPS, MOMENTUM);
            be.layers().batchNormEval(dx, dg, db, rm, rv, yEval, rows, cols, EPS);
            return download(be, y, mean, rstd, rm, rv, yEval);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void trainEvalAndBackwardMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            Inputs in = Inputs.of(rows, cols);
            ReferenceCheck.agrees(backend, Tolerance.forReduction(rows), "batchNormTrain, batchNormEval " + what,
                    be -> trainThenEval(be, in, rows, cols));
            float[] dy = TestData.uniform(rows + 9L * cols, rows * cols);
            float[] dg0 = TestData.uniform(11, cols), db0 = TestData.uniform(12, cols);
            ReferenceCheck.agrees(backend, 4 * Tolerance.forReduction(rows), "batchNormBackward " + what,
                    be -> runBackward(be, in.x(), in.gamma(), dy, dg0, db0, rows, cols));
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void trainingMatchesNd4jStatistics(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1], n = rows * cols;
            String what = rows + "x" + cols;
            Inputs in = Inputs.of(rows, cols);
            float[] got = trainThenEval(backend, in, rows, cols);
            double tol = 10 * Tolerance.forReduction(rows);
            INDArray nx = DeviceArrays.nd(in.x(), rows, cols), mu = nx.mean(0).reshape(1, cols);
            float[] ndMean = DeviceArrays.host(mu), ndVar = DeviceArrays.host(nx.var(true, 0));
            assertClose(ndMean, 0, got, n, cols, tol, "mean vs ND4J " + what);
            INDArray ny = nx.subRowVector(mu).diviRowVector(Transforms.sqrt(nx.var(false, 0).addi(EPS))
                    .reshape(1, cols)).muliRowVector(DeviceArrays.nd(in.gamma(), 1, cols))
                    .addiRowVector(DeviceArrays.nd(in.beta(), 1, cols));
            assertClose(DeviceArrays.host(ny), 0, got, 0, n, tol, "y vs ND4J " + what);
            float[] ndRm = new float[cols], ndRv = new float[cols];
            for (int c = 0; c < cols; c++) {
                ndRm[c] = (1 - MOMENTUM) * in.runningMean()[c] + MOMENTUM * ndMean[c];
                ndRv[c] = (1 - MOMENTUM) * in.runningVar()[c] + MOMENTUM * ndVar[c];
            }
            assertClose(ndRm, 0, got, n + 2 * cols, cols, tol, "runningMean vs ND4J " + what);
            assertClose(ndRv, 0, got, n + 3 * cols, cols, tol, "runningVar vs ND4J unbiased var " + what);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
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
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
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
                    v -> CentralDifference.weightedSum(wd, forwardInDouble(v, gd, bd, rows, cols, EPS)), xd);
            double[] numDg = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, forwardInDouble(xd, v, bd, rows, cols, EPS)), gd.clone());
            double[] numDb = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, forwardInDouble(xd, gd, v, rows, cols, EPS)), bd.clone());
            float[] got = runBackward(backend, x, gamma, w, new float[cols], new float[cols], rows, cols);
            assertClose(numDx, 0, got, 0, rows * cols, 1e-4, "batchNormBackward dx vs central differences " + what);
            assertClose(numDg, 0, got, rows * cols, cols, 1e-4, "dGamma vs central differences " + what);
            assertClose(numDb, 0, got, rows * cols + cols, cols, 1e-4, "dBeta vs central differences " + what);
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

    /** Forward in training mode (for mean and rstd), then backward into a dx pre-filled with garbage. */
    private static float[] runBackward(Backend backend, float[] x, float[] gamma, float[] dyHost, float[] dg0,
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
            return download(backend, gx, gg, gb);
        }
    }

    private static float[] positive(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.1f + Math.abs(v[i]) * 2;
        }
        return v;
    }
}
