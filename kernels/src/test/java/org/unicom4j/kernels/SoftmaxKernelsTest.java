package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.toDouble;
import static org.unicom4j.kernels.ReferenceCheck.download;
import static org.unicom4j.kernels.Tolerance.assertClose;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Scaled row softmax and its backward against the reference backend, and (the reference too) ND4J, masked rows
 * and central differences.
 */
class SoftmaxKernelsTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 3}, {17, 17}, {5, 129}, {129, 8}, {3, 1000}, {2, 1031},
        {256, 197}};
    private static final float[] SCALES = {1f, 0.125f, -2f};

    /** softmax(scale x) per row in double: the function central differences differentiate. */
    static double[] forwardInDouble(double[] x, int rows, int cols, double scale) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, scale * x[r * cols + c]);
            }
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = Math.exp(scale * x[r * cols + c] - max);
                sum += y[r * cols + c];
            }
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] /= sum;
            }
        }
        return y;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void forwardAndBackwardMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            for (float scale : SCALES) {
                int rows = s[0], cols = s[1];
                // Large logits: without the max subtraction exp would overflow.
                float[] x = TestData.gaussian(rows * 3L + cols, rows * cols, 30.0);
                float[] w = TestData.uniform(rows + 3L * cols, rows * cols);
                ReferenceCheck.agrees(backend, Tolerance.forReduction(cols) * 4,
                        "softmaxRows and backward " + rows + "x" + cols + " scale " + scale, be -> {
                            try (DeviceFloats dx = floats(be, x); DeviceFloats y = be.buffers().allocFloats(x.length);
                                 DeviceFloats dy = floats(be, w); DeviceFloats g = be.buffers().allocFloats(x.length)) {
                                be.layers().softmaxRows(dx, y, rows, cols, scale);
                                be.buffers().fill(g, Float.NaN); // overwritten, never read
                                be.layers().softmaxRowsBackward(y, dy, g, rows, cols, scale);
                                be.layers().softmaxRows(dx, dx, rows, cols, scale); // in place
                                be.layers().softmaxRowsBackward(y, dy, dy, rows, cols, scale); // dx aliases dy
                                return download(be, y, g, dx, dy);
                            }
                        });
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void forwardMatchesNd4j(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            for (float scale : SCALES) {
                int rows = s[0], cols = s[1];
                float[] x = TestData.gaussian(rows * 3L + cols, rows * cols, 30.0);
                try (DeviceFloats dx = floats(backend, x); DeviceFloats y = backend.buffers().allocFloats(x.length)) {
                    backend.layers().softmaxRows(dx, y, rows, cols, scale);
                    float[] scaled = x.clone();
                    for (int i = 0; i < scaled.length; i++) {
                        scaled[i] *= scale;
                    }
                    float[] nd = DeviceArrays.host(Transforms.softmax(DeviceArrays.nd(scaled, rows, cols), true));
                    assertClose(nd, backend.buffers().download(y), Tolerance.forReduction(cols) * 4,
                            "softmaxRows vs ND4J " + rows + "x" + cols + " scale " + scale);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void maskedEntriesGetExactlyZeroAndAFullyMaskedRowIsNaN(String name) {
        Backend backend = TestBackends.get(name);
        int cols = 21; // two vectors and a scalar tail on the CPU
        float inf = Float.NEGATIVE_INFINITY;
        float[] x = TestData.gaussian(5, 3 * cols, 2.0);
        for (int c = 0; c < cols; c += 3) {
            x[c] = inf; // row 0: every third entry masked
        }
        x[cols + cols - 1] = inf; // row 1: the tail entry masked
        Arrays.fill(x, 2 * cols, 3 * cols, inf); // row 2: all masked
        try (DeviceFloats dx = floats(backend, x); DeviceFloats y = backend.buffers().allocFloats(x.length)) {
            backend.layers().softmaxRows(dx, y, 3, cols, 1f);
            float[] got = backend.buffers().download(y);
            for (int r = 0; r < 2; r++) {
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    if (x[i] == inf) {
                        assertEquals(0f, got[i], name + " masked [" + r + "," + c + "]");
                    } else {
                        assertTrue(got[i] > 0f, name + " [" + r + "," + c + "]");
                    }
                    sum += got[i];
                }
                assertEquals(1.0, sum, 1e-5, name + " row " + r);
            }
            for (int c = 0; c < cols; c++) {
                assertTrue(Float.isNaN(got[2 * cols + c]),
                        name + " fully masked row gives NaN, as PyTorch: " + got[2 * cols + c]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void backwardMatchesCentralDifferences(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : new int[][] {{1, 1}, {3, 3}, {17, 17}, {5, 129}}) {
            for (float scale : SCALES) {
                int rows = s[0], cols = s[1];
                float[] x = TestData.gaussian(rows * 5L + cols, rows * cols, 1.0);
                float[] w = TestData.uniform(rows + 3L * cols, rows * cols);
                double[] xd = toDouble(x), wd = toDouble(w);
                try (DeviceFloats dx = floats(backend, x); DeviceFloats out = backend.buffers().allocFloats(x.length);
                     DeviceFloats dy = floats(backend, w)) {
                    backend.layers().softmaxRows(dx, out, rows, cols, scale);
                    backend.layers().softmaxRowsBackward(out, dy, dx, rows, cols, scale);
                    double[] numeric = CentralDifference.gradient(
                            v -> CentralDifference.weightedSum(wd, forwardInDouble(v, rows, cols, scale)), xd);
                    assertClose(numeric, backend.buffers().download(dx), 1e-4,
                            "softmaxRowsBackward vs central differences " + rows + "x" + cols + " scale " + scale);
                }
            }
        }
    }
}
