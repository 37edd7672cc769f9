package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.ReferenceCheck.download;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * fill, copy, add, scale, axpy, addBias, biasGradient, relu6 and its backward: against the reference backend at
 * lengths around the vector widths and the threading threshold, and (the reference too) against ND4J, exact
 * hand-computed values and central differences.
 */
class ElementwiseKernelsTest {
    /** Lengths around the vector width and above the threading threshold (~32k elements). */
    private static final int[] LENGTHS = {1, 3, 8, 17, 129, 1000, 4099, 100_003};
    private static final int[][] MATRICES = {{1, 1}, {3, 3}, {17, 5}, {2, 129}, {129, 17}, {1000, 3}, {37, 1001},
        {300, 260}};
    private static final double EXACT = 1e-7;

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void vectorOpsMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int n : LENGTHS) {
            float[] a = TestData.uniform(1 + n, n), b = TestData.uniform(2 + n, n), x = spanning(n);
            ReferenceCheck.agrees(backend, EXACT, "add, scale, axpy n=" + n, be -> {
                try (DeviceFloats da = floats(be, a); DeviceFloats db = floats(be, b);
                     DeviceFloats out = be.buffers().allocFloats(n)) {
                    be.elementwise().add(da, db, out, n);
                    be.elementwise().add(da, db, da, n); // out aliases a
                    be.elementwise().scale(db, -1.5f, n);
                    be.elementwise().axpy(0.75f, da, db, n);
                    return download(be, out, da, db);
                }
            });
            ReferenceCheck.agrees(backend, 0, "relu6 and its backward n=" + n, be -> {
                try (DeviceFloats dx = floats(be, x); DeviceFloats g = floats(be, a);
                     DeviceFloats y = be.buffers().allocFloats(n); DeviceFloats dIn = be.buffers().allocFloats(n)) {
                    be.layers().relu6(dx, y, n);
                    be.layers().relu6Backward(dx, g, dIn, n);
                    be.layers().relu6Backward(dx, g, g, n); // dx aliases dy
                    be.layers().relu6(dx, dx, n);
                    return download(be, y, dIn, g, dx);
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void biasOpsMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] shape : MATRICES) {
            int rows = shape[0], cols = shape[1];
            float[] x = TestData.uniform(rows, rows * cols), bias = TestData.uniform(cols, cols);
            float[] dBias0 = TestData.uniform(7 + cols, cols);
            ReferenceCheck.agrees(backend, Tolerance.forReduction(rows), "addBias, biasGradient " + rows + "x" + cols,
                    be -> {
                        try (DeviceFloats dx = floats(be, x); DeviceFloats db = floats(be, bias);
                             DeviceFloats dg = floats(be, dBias0)) {
                            be.layers().biasGradient(dx, rows, cols, dg);
                            be.layers().addBias(dx, db, rows, cols);
                            return download(be, dx, dg);
                        }
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void fillAndCopy(String name) {
        Backend backend = TestBackends.get(name);
        for (int n : LENGTHS) {
            float[] src = TestData.uniform(n, n);
            try (DeviceFloats a = floats(backend, src); DeviceFloats b = backend.buffers().allocFloats(n + 2)) {
                backend.buffers().fill(b, 2.5f);
                backend.buffers().copy(a, b.slice(1, n));
                float[] out = backend.buffers().download(b);
                float[] expected = new float[n + 2];
                expected[0] = 2.5f;
                expected[n + 1] = 2.5f;
                System.arraycopy(src, 0, expected, 1, n);
                assertArrayEquals(expected, out, "fill + copy into a slice, n=" + n);
                // Overlapping views of one buffer shift the data by one, as memmove would.
                backend.buffers().copy(b.slice(1, n), b.slice(0, n));
                System.arraycopy(expected, 1, expected, 0, n);
                assertArrayEquals(expected, backend.buffers().download(b), "copy between overlapping views, n=" + n);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void vectorOpsAgainstNd4jAndExactArithmetic(String name) {
        Backend backend = TestBackends.get(name);
        for (int n : LENGTHS) {
            float[] a = TestData.uniform(1 + n, n), b = TestData.uniform(2 + n, n);
            try (DeviceFloats da = floats(backend, a); DeviceFloats db = floats(backend, b);
                 DeviceFloats out = backend.buffers().allocFloats(n)) {
                backend.elementwise().add(da, db, out, n);
                INDArray nd = DeviceArrays.nd(a, 1, n).add(DeviceArrays.nd(b, 1, n));
                assertClose(DeviceArrays.host(nd), backend.buffers().download(out), EXACT, "add vs ND4J n=" + n);
                backend.elementwise().scale(db, -1.5f, n);
                float[] expected = new float[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = -1.5f * b[i];
                }
                assertClose(expected, backend.buffers().download(db), EXACT, "scale n=" + n);
                backend.buffers().upload(b, db);
                backend.elementwise().axpy(0.75f, da, db, n);
                for (int i = 0; i < n; i++) {
                    expected[i] = (float) (b[i] + 0.75 * a[i]);
                }
                assertClose(expected, backend.buffers().download(db), 1e-6, "axpy n=" + n);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void biasOpsAgainstNd4j(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] shape : MATRICES) {
            int rows = shape[0], cols = shape[1];
            String what = rows + "x" + cols;
            float[] x = TestData.uniform(rows, rows * cols), bias = TestData.uniform(cols, cols);
            float[] dBias0 = TestData.uniform(7 + cols, cols);
            try (DeviceFloats dx = floats(backend, x); DeviceFloats db = floats(backend, bias);
                 DeviceFloats dg = floats(backend, dBias0)) {
                backend.layers().addBias(dx, db, rows, cols);
                INDArray nd = DeviceArrays.nd(x, rows, cols).addRowVector(DeviceArrays.nd(bias, 1, cols));
                assertClose(DeviceArrays.host(nd), backend.buffers().download(dx), EXACT, "addBias vs ND4J " + what);
                // dBias accumulates the column sums of dy (here dy = x).
                backend.buffers().upload(x, dx);
                backend.layers().biasGradient(dx, rows, cols, dg);
                float[] ndSums = DeviceArrays.host(DeviceArrays.nd(x, rows, cols).sum(0).addi(DeviceArrays.nd(dBias0,
                        1, cols).reshape(cols)));
                assertClose(ndSums, backend.buffers().download(dg), Tolerance.forReduction(rows),
                        "biasGradient vs ND4J " + what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void relu6ClampsToZeroSixAndPassesGradientsInside(String name) {
        Backend backend = TestBackends.get(name);
        for (int n : LENGTHS) {
            float[] x = spanning(n), dy = TestData.uniform(n + 5, n);
            try (DeviceFloats dx = floats(backend, x); DeviceFloats g = floats(backend, dy);
                 DeviceFloats y = backend.buffers().allocFloats(n)) {
                backend.layers().relu6(dx, y, n);
                float[] expected = new float[n], mask = new float[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = Math.min(Math.max(x[i], 0f), 6f);
                    mask[i] = x[i] > 0 && x[i] < 6 ? dy[i] : 0f;
                }
                assertArrayEquals(expected, backend.buffers().download(y), "relu6 n=" + n);
                float[] nd = DeviceArrays.host(Transforms.relu6(DeviceArrays.nd(x, 1, n), true));
                assertClose(nd, backend.buffers().download(y), EXACT, "relu6 vs ND4J n=" + n);
                backend.layers().relu6Backward(dx, g, y, n);
                assertArrayEquals(mask, backend.buffers().download(y), "relu6Backward n=" + n);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void relu6BackwardMatchesCentralDifferences(String name) {
        Backend backend = TestBackends.get(name);
        // Central differences away from the kinks: d/dx sum(w * relu6(x)).
        int n = 129;
        float[] x = spanning(n);
        for (int i = 0; i < n; i++) {
            if (Math.abs(x[i]) < 1e-3 || Math.abs(x[i] - 6) < 1e-3) {
                x[i] += 0.01f;
            }
        }
        float[] wf = TestData.uniform(99, n);
        double[] w = DeviceArrays.toDouble(wf);
        double[] numeric = CentralDifference.gradient(v -> {
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                s += w[i] * Math.min(Math.max(v[i], 0), 6);
            }
            return s;
        }, DeviceArrays.toDouble(x));
        try (DeviceFloats dx = floats(backend, x); DeviceFloats g = floats(backend, wf);
             DeviceFloats out = backend.buffers().allocFloats(n)) {
            backend.layers().relu6Backward(dx, g, out, n);
            assertClose(numeric, backend.buffers().download(out), 1e-5, "relu6Backward vs central differences");
        }
    }

    /** Values in [-2, 8) hitting the kinks 0 and 6 exactly every few elements. */
    private static float[] spanning(int n) {
        float[] x = TestData.uniform(n * 31L, n);
        for (int i = 0; i < n; i++) {
            x[i] = i % 7 == 3 ? 0f : i % 7 == 5 ? 6f : 3 + 5 * x[i];
        }
        return x;
    }
}
