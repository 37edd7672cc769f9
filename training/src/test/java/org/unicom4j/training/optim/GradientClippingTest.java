package org.unicom4j.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;

/** Global L2-norm clipping against hand-computed and double-precision references, with and without a tail row. */
class GradientClippingTest {

    /**
     * 2051 gradients (two full rows of 1024 and a tail of 3): 3 and 4 at the ends of the tail, every other value
     * 0.5 except zeros; by hand, ||g||^2 = 2048 * 0.25 + 9 + 16 = 537, norm = sqrt(537) = 23.1733...
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void clipsAHandComputedVectorToTheMaximumNorm(String backendName) {
        Backend backend = TestBackends.get(backendName);
        float[] g = new float[2051];
        java.util.Arrays.fill(g, 0, 2048, 0.5f);
        g[2048] = 3f;
        g[2050] = 4f;
        try (DeviceFloats grads = backend.buffers().allocFloats(g.length);
             GradientClipping clipping = new GradientClipping(backend, grads, 5f)) {
            backend.buffers().upload(g, grads);
            double norm = clipping.clip();
            assertEquals(Math.sqrt(537), norm, 1e-5);
            float[] clipped = backend.buffers().download(grads);
            double coefficient = 5 / (Math.sqrt(537) + 1e-6);
            assertEquals(0.5 * coefficient, clipped[0], 1e-6);
            assertEquals(0.5 * coefficient, clipped[2047], 1e-6);
            assertEquals(3 * coefficient, clipped[2048], 1e-6);
            assertEquals(0f, clipped[2049]);
            assertEquals(4 * coefficient, clipped[2050], 1e-6);
            assertEquals(5.0, l2(clipped), 1e-4, "clipped to the maximum norm");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void leavesGradientsBelowTheMaximumUntouched(String backendName) {
        Backend backend = TestBackends.get(backendName);
        float[] g = TestData.gaussian(3, 1000, 0.01); // norm about 0.32, shorter than one row
        try (DeviceFloats grads = backend.buffers().allocFloats(g.length);
             GradientClipping clipping = new GradientClipping(backend, grads, 1f)) {
            backend.buffers().upload(g, grads);
            assertEquals(l2(g), clipping.clip(), 1e-6 * Math.sqrt(g.length));
            assertArrayEquals(g, backend.buffers().download(grads));
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void normOfALongRandomVectorMatchesDoublePrecision(String backendName) {
        Backend backend = TestBackends.get(backendName);
        float[] g = TestData.gaussian(4, 1024 * 129 + 17, 1.0);
        try (DeviceFloats grads = backend.buffers().allocFloats(g.length);
             GradientClipping clipping = new GradientClipping(backend, grads, 1f)) {
            backend.buffers().upload(g, grads);
            double expected = l2(g);
            assertEquals(expected, clipping.norm(), 1e-5 * expected);
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void rejectsANonPositiveMaximum(String backendName) {
        Backend backend = TestBackends.get(backendName);
        try (DeviceFloats grads = backend.buffers().allocFloats(10)) {
            assertThrows(IllegalArgumentException.class, () -> new GradientClipping(backend, grads, 0f));
        }
    }

    private static double l2(float[] g) {
        double s = 0;
        for (float v : g) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
