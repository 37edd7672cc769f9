package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Pairwise squared L2 distances against the reference backend (a direct sum of squared differences), and (the
 * reference too) ND4J; and the clamp at zero where the norms trick cancels.
 */
class DistanceKernelsTest {
    /** n, m, d. */
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 3, 3}, {17, 5, 17}, {5, 17, 129}, {129, 3, 8},
        {3, 129, 1000}, {2, 7, 1031}, {200, 300, 64}};

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void matchesTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int n = s[0], m = s[1], d = s[2];
            float[] x = TestData.uniform(n * 3L + d, n * d), y = TestData.uniform(m * 5L + d, m * d);
            ReferenceCheck.agrees(backend, Tolerance.forReduction(d) * 4, "squaredL2Distances " + n + "x" + m + " d=" + d,
                    be -> {
                        try (DeviceFloats dx = floats(be, x); DeviceFloats dy = floats(be, y);
                             DeviceFloats out = be.buffers().allocFloats(n * m)) {
                            be.search().squaredL2Distances(dx, dy, out, n, m, d);
                            return be.buffers().download(out);
                        }
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void matchesNd4j(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int n = s[0], m = s[1], d = s[2];
            String what = n + "x" + m + " d=" + d;
            float[] x = TestData.uniform(n * 3L + d, n * d), y = TestData.uniform(m * 5L + d, m * d);
            try (DeviceFloats dx = floats(backend, x); DeviceFloats dy = floats(backend, y);
                 DeviceFloats out = backend.buffers().allocFloats(n * m)) {
                backend.search().squaredL2Distances(dx, dy, out, n, m, d);
                float[] got = backend.buffers().download(out);
                double tol = Tolerance.forReduction(d) * 4;
                float[] nd = DeviceArrays.host(Transforms.allEuclideanDistances(DeviceArrays.nd(x, n, d),
                        DeviceArrays.nd(y, m, d), 1));
                for (int i = 0; i < nd.length; i++) {
                    nd[i] *= nd[i];
                }
                assertClose(nd, got, 10 * tol, "squaredL2Distances vs ND4J " + what);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void identicalRowsAreClampedAtZero(String name) {
        Backend backend = TestBackends.get(name);
        int n = 64, d = 777;
        // Large norms with a small distance: ||x||^2 + ||y||^2 - 2 x.y cancels and may round below zero.
        float[] x = LayerNormKernelsTest.offset(TestData.uniform(3, n * d), 100f);
        try (DeviceFloats dx = floats(backend, x); DeviceFloats out = backend.buffers().allocFloats(n * n)) {
            backend.search().squaredL2Distances(dx, dx, out, n, n, d);
            float[] got = backend.buffers().download(out);
            for (int i = 0; i < n; i++) {
                float self = got[i * n + i];
                // ||x||^2 is ~7.8e6 here; float32 rounding of the three terms is a few units.
                assertTrue(self >= 0f && self < 64f, "self-distance of row " + i + " is " + self);
            }
            for (float v : got) {
                assertTrue(v >= 0f, "negative squared distance " + v);
            }
        }
    }
}
