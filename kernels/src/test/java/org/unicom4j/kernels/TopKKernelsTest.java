package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.unicom4j.kernels.DeviceArrays.floats;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-row top-k (largest and smallest, with and without ties) against the reference backend, and (the reference
 * too) against a full stable sort: ties broken by the lower index.
 */
class TopKKernelsTest {
    private static final int[][] SHAPES = {{1, 1}, {3, 3}, {17, 17}, {5, 129}, {129, 8}, {3, 1000}, {2, 1031},
        {300, 500}};

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void matchesTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            for (boolean ties : new boolean[] {false, true}) {
                float[] x = input(rows, cols, ties);
                for (boolean largest : new boolean[] {true, false}) {
                    for (int k : new int[] {1, Math.min(3, cols), (cols + 1) / 2, cols}) {
                        ReferenceCheck.agrees(backend, 0, "topK " + rows + "x" + cols + " k=" + k
                                + (largest ? " largest" : " smallest") + (ties ? " with ties" : ""), be -> {
                                    try (DeviceFloats dx = floats(be, x);
                                         DeviceFloats values = be.buffers().allocFloats(rows * k);
                                         DeviceInts indices = be.buffers().allocInts(rows * k)) {
                                        be.search().topK(dx, rows, cols, k, largest, values, indices);
                                        int[] idx = be.buffers().download(indices);
                                        float[] out = java.util.Arrays.copyOf(be.buffers().download(values),
                                                2 * rows * k);
                                        for (int i = 0; i < idx.length; i++) {
                                            out[rows * k + i] = idx[i];
                                        }
                                        return out;
                                    }
                                });
                    }
                }
            }
        }
    }

    /** Uniform values, or with {@code ties} few distinct ones. */
    private static float[] input(int rows, int cols, boolean ties) {
        float[] x = TestData.uniform(rows * 7L + cols + (ties ? 1 : 0), rows * cols);
        if (ties) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.round(x[i] * 4);
            }
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void matchesAStableSort(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int rows = s[0], cols = s[1];
            for (boolean ties : new boolean[] {false, true}) {
                float[] x = input(rows, cols, ties);
                for (boolean largest : new boolean[] {true, false}) {
                    int[][] order = sortedColumns(x, rows, cols, largest);
                    for (int k : new int[] {1, Math.min(3, cols), Math.min(10, cols), (cols + 1) / 2, cols}) {
                        check(backend, x, order, rows, cols, k, largest,
                                rows + "x" + cols + " k=" + k + (largest ? " largest" : " smallest")
                                        + (ties ? " with ties" : ""));
                    }
                }
            }
        }
    }

    /** Per row, the column indices in best-first order. */
    private static int[][] sortedColumns(float[] x, int rows, int cols, boolean largest) {
        int[][] order = new int[rows][];
        for (int r = 0; r < rows; r++) {
            final int row = r;
            Comparator<Integer> byValue = Comparator.comparingDouble(c -> x[row * cols + c]);
            Integer[] columns = new Integer[cols];
            for (int c = 0; c < cols; c++) {
                columns[c] = c;
            }
            // Arrays.sort on objects is stable, so equal values keep ascending column order.
            Arrays.sort(columns, largest ? byValue.reversed() : byValue);
            order[r] = Arrays.stream(columns).mapToInt(Integer::intValue).toArray();
        }
        return order;
    }

    private static void check(Backend backend, float[] x, int[][] order, int rows, int cols, int k, boolean largest,
                              String what) {
        float[] expectedValues = new float[rows * k];
        int[] expectedIndices = new int[rows * k];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                expectedIndices[r * k + j] = order[r][j];
                expectedValues[r * k + j] = x[r * cols + order[r][j]];
            }
        }
        try (DeviceFloats dx = floats(backend, x); DeviceFloats values = backend.buffers().allocFloats(rows * k);
             DeviceInts indices = backend.buffers().allocInts(rows * k)) {
            backend.search().topK(dx, rows, cols, k, largest, values, indices);
            assertArrayEquals(expectedIndices, backend.buffers().download(indices), "topK indices " + what);
            assertArrayEquals(expectedValues, backend.buffers().download(values), "topK values " + what);
        }
    }
}
