package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** rowSum, rowMax, rowArgMax and rowArgMin against scalar references and ND4J, including ties. */
class ReductionKernelsTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 3}, {17, 17}, {5, 129}, {129, 8}, {3, 1000}, {2, 1031},
        {700, 300}};

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void rowSumAndRowMax(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            float[] x = TestData.uniform(rows * 3L + cols, rows * cols);
            x[x.length - 1] = 5f; // the maximum in the scalar tail of the last row
            try (DeviceFloats dx = floats(backend, x); DeviceFloats sum = backend.allocFloats(rows);
                 DeviceFloats max = backend.allocFloats(rows)) {
                backend.rowSum(dx, sum, rows, cols);
                backend.rowMax(dx, max, rows, cols);
                double[] refSum = new double[rows];
                float[] refMax = new float[rows];
                for (int r = 0; r < rows; r++) {
                    refMax[r] = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < cols; c++) {
                        refSum[r] += x[r * cols + c];
                        refMax[r] = Math.max(refMax[r], x[r * cols + c]);
                    }
                }
                float[] gotSum = backend.download(sum), gotMax = backend.download(max);
                assertClose(refSum, gotSum, Tolerance.forReduction(cols), "rowSum " + what);
                assertArrayEquals(refMax, gotMax, "rowMax " + what);
                INDArray nd = DeviceArrays.nd(x, rows, cols);
                assertClose(DeviceArrays.host(nd.sum(1)), gotSum, Tolerance.forReduction(cols), "rowSum vs ND4J " + what);
                assertArrayEquals(DeviceArrays.host(nd.max(1)), gotMax, "rowMax vs ND4J " + what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void argMaxAndArgMinPickTheLowestIndexOnTies(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            String what = rows + "x" + cols;
            // Few distinct values, so most rows hold their extreme several times.
            float[] x = TestData.uniform(rows * 5L + cols, rows * cols);
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.round(x[i] * 3);
            }
            try (DeviceFloats dx = floats(backend, x); DeviceInts argMax = backend.allocInts(rows);
                 DeviceInts argMin = backend.allocInts(rows)) {
                backend.rowArgMax(dx, argMax, rows, cols);
                backend.rowArgMin(dx, argMin, rows, cols);
                int[] refMax = new int[rows], refMin = new int[rows];
                for (int r = 0; r < rows; r++) {
                    for (int c = 1; c < cols; c++) {
                        if (x[r * cols + c] > x[r * cols + refMax[r]]) {
                            refMax[r] = c;
                        }
                        if (x[r * cols + c] < x[r * cols + refMin[r]]) {
                            refMin[r] = c;
                        }
                    }
                }
                int[] gotMax = backend.download(argMax), gotMin = backend.download(argMin);
                assertArrayEquals(refMax, gotMax, "rowArgMax " + what);
                assertArrayEquals(refMin, gotMin, "rowArgMin " + what);
            }
            // ND4J on distinct values (its tie-breaking is not documented).
            float[] distinct = TestData.uniform(rows * 9L + cols, rows * cols);
            try (DeviceFloats dx = floats(backend, distinct); DeviceInts argMax = backend.allocInts(rows)) {
                backend.rowArgMax(dx, argMax, rows, cols);
                INDArray nd = DeviceArrays.nd(distinct, rows, cols).argMax(1);
                int[] expected = nd.toIntVector();
                assertArrayEquals(expected, backend.download(argMax), "rowArgMax vs ND4J " + what);
            }
        }
    }
}
