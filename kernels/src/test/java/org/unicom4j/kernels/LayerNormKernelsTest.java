package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Row LayerNorm forward and backward against a double-precision reference, ND4J and central differences. */
class LayerNormKernelsTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 3}, {17, 17}, {5, 129}, {129, 8}, {3, 1000}, {2, 1031},
        {200, 768}};
    private static final float EPS = 1e-5f;

    /** y, mean and rstd of LayerNorm in double precision. */
    record Forward(double[] y, double[] mean, double[] rstd) {
    }

    static Forward reference(double[] x, double[] gamma, double[] beta, int rows, int cols, double eps) {
        double[] y = new double[rows * cols], mean = new double[rows], rstd = new double[rows];
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
            var /= cols;
            double inv = 1 / Math.sqrt(var + eps);
            mean[r] = mu;
            rstd[r] = inv;
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = (x[r * cols + c] - mu) * inv * gamma[c] + beta[c];
            }
        }
        return new Forward(y, mean, rstd);
    }

    /** dx, dGamma, dBeta (concatenated) of sum(dy * LayerNorm(x)) in double precision. */
    static double[][] referenceBackward(double[] dy, double[] x, double[] gamma, int rows, int cols, double eps) {
        Forward f = reference(x, gamma, new double[cols], rows, cols, eps);
        double[] dx = new double[rows * cols], dGamma = new double[cols], dBeta = new double[cols];
        for (int r = 0; r < rows; r++) {
            double mg = 0, mgx = 0;
            for (int c = 0; c < cols; c++) {
                double xhat = (x[r * cols + c] - f.mean[r]) * f.rstd[r];
                double g = dy[r * cols + c] * gamma[c];
                mg += g;
                mgx += g * xhat;
                dGamma[c] += dy[r * cols + c] * xhat;
                dBeta[c] += dy[r * cols + c];
            }
            mg /= cols;
            mgx /= cols;
            for (int c = 0; c < cols; c++) {
                double xhat = (x[r * cols + c] - f.mean[r]) * f.rstd[r];
                dx[r * cols + c] = f.rstd[r] * (dy[r * cols + c] * gamma[c] - mg - xhat * mgx);
            }
        }
        return new double[][] {dx, dGamma, dBeta};
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void forwardMatchesReferenceAndNd4j(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = offset(TestData.gaussian(rows * 7919L + cols, rows * cols, 2.0), 3f);
            float[] gamma = TestData.uniform(cols + 1, cols), beta = TestData.uniform(cols + 2, cols);
            try (DeviceFloats dx = floats(backend, x); DeviceFloats dg = floats(backend, gamma);
                 DeviceFloats db = floats(backend, beta); DeviceFloats y = backend.buffers().allocFloats(rows * cols);
                 DeviceFloats mean = backend.buffers().allocFloats(rows);
                 DeviceFloats rstd = backend.buffers().allocFloats(rows)) {
                backend.layers().layerNorm(dx, dg, db, y, mean, rstd, rows, cols, EPS);
                Forward ref = reference(toDouble(x), toDouble(gamma), toDouble(beta), rows, cols, EPS);
                double tol = Tolerance.forReduction(cols);
                assertClose(ref.y(), backend.buffers().download(y), tol, "layerNorm y " + what);
                assertClose(ref.mean(), backend.buffers().download(mean), tol, "layerNorm mean " + what);
                assertClose(ref.rstd(), backend.buffers().download(rstd), tol, "layerNorm rstd " + what);

                INDArray nx = DeviceArrays.nd(x, rows, cols);
                INDArray mu = nx.mean(1).reshape(rows, 1);
                INDArray std = Transforms.sqrt(nx.var(false, 1).addi(EPS)).reshape(rows, 1);
                INDArray ny = nx.subColumnVector(mu).diviColumnVector(std)
                        .muliRowVector(DeviceArrays.nd(gamma, 1, cols)).addiRowVector(DeviceArrays.nd(beta, 1, cols));
                assertClose(DeviceArrays.host(ny), backend.buffers().download(y), 10 * tol,
                        "layerNorm y vs ND4J " + what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void backwardAccumulatesTheAnalyticGradient(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = offset(TestData.gaussian(rows * 31L + cols, rows * cols, 1.5), -1f);
            float[] gamma = TestData.uniform(cols + 3, cols), dyHost = TestData.uniform(cols + 4, rows * cols);
            float[] dx0 = TestData.uniform(5, rows * cols), dg0 = TestData.uniform(6, cols), db0 = TestData.uniform(7,
                    cols);
            double[][] ref = referenceBackward(toDouble(dyHost), toDouble(x), toDouble(gamma), rows, cols, EPS);
            float[][] got = runBackward(backend, x, gamma, dyHost, dx0, dg0, db0, rows, cols);
            assertClose(plus(dx0, ref[0]), got[0], Tolerance.forReduction(cols) * 4, "layerNormBackward dx " + what);
            assertClose(plus(dg0, ref[1]), got[1], Tolerance.forReduction(rows) * 4, "layerNormBackward dGamma " + what);
            assertClose(plus(db0, ref[2]), got[2], Tolerance.forReduction(rows), "layerNormBackward dBeta " + what);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
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
                    v -> CentralDifference.weightedSum(wd, reference(v, gd, bd, rows, cols, EPS).y()), xd);
            double[] numDg = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, reference(xd, v, bd, rows, cols, EPS).y()), gd.clone());
            double[] numDb = CentralDifference.gradient(
                    v -> CentralDifference.weightedSum(wd, reference(xd, gd, v, rows, cols, EPS).y()), bd.clone());
            float[][] got = runBackward(backend, x, gamma, w, new float[rows * cols], new float[cols], new float[cols],
                    rows, cols);
            assertClose(numDx, got[0], 1e-4, "layerNormBackward dx vs central differences " + what);
            assertClose(numDg, got[1], 1e-4, "layerNormBackward dGamma vs central differences " + what);
            assertClose(numDb, got[2], 1e-4, "layerNormBackward dBeta vs central differences " + what);
        }
    }

    /** Runs forward (for mean and rstd) then backward from the given initial gradients. */
    private static float[][] runBackward(Backend backend, float[] x, float[] gamma, float[] dyHost, float[] dx0,
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
            return new float[][] {backend.buffers().download(gx), backend.buffers().download(gg),
                    backend.buffers().download(gb)};
        }
    }

    static float[] offset(float[] x, float by) {
        for (int i = 0; i < x.length; i++) {
            x[i] += by;
        }
        return x;
    }

    static double[] plus(float[] a, double[] b) {
        double[] out = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }
}
