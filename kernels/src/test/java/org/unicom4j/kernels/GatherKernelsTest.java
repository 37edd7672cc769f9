package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.ints;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** gatherRows against direct indexing, with repeated and out-of-order indices and offset views. */
class GatherKernelsTest {
    /** srcRows, n, cols. */
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 3, 3}, {17, 40, 17}, {129, 5, 129}, {8, 129, 8},
        {1000, 3, 1000}, {50, 2000, 33}};

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void copiesTheIndexedRows(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int srcRows = s[0], n = s[1], cols = s[2];
            float[] src = TestData.uniform(srcRows + cols, srcRows * cols);
            int[] idx = new SplittableRandom(n).ints(n, 0, srcRows).toArray();
            float[] expected = new float[n * cols];
            for (int i = 0; i < n; i++) {
                System.arraycopy(src, idx[i] * cols, expected, i * cols, cols);
            }
            try (DeviceFloats ds = floats(backend, src); DeviceInts di = ints(backend, idx);
                 DeviceFloats dst = backend.allocFloats(n * cols + 1)) {
                backend.gatherRows(ds, srcRows, di, n, dst.slice(1), cols);
                float[] got = backend.download(dst);
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(got, 1, got.length),
                        "gatherRows " + srcRows + " -> " + n + " x " + cols);
            }
        }
    }
}
