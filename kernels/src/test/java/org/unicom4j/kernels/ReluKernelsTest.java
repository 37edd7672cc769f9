package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.ReferenceCheck.download;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.ops.transforms.Transforms;

/** ReLU and its backward against the reference backend, and (the reference too) ND4J's relu and its mask. */
class ReluKernelsTest {
    private static final int[] LENGTHS = {1, 3, 8, 17, 129, 1000, 4099, 100_003};

    /** Values in [-2, 8) with exact zeros, and values above 6 that ReLU6 would clamp. */
    private static float[] spanning(int n) {
        float[] x = TestData.uniform(n * 37L, n);
        for (int i = 0; i < n; i++) {
            x[i] = i % 5 == 2 ? 0f : 3 + 5 * x[i];
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void reluAndItsBackwardMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int n : LENGTHS) {
            float[] x = spanning(n), dy = TestData.uniform(n + 3, n);
            ReferenceCheck.agrees(backend, 0, "relu and its backward n=" + n, be -> {
                try (DeviceFloats dx = floats(be, x); DeviceFloats g = floats(be, dy);
                     DeviceFloats y = be.buffers().allocFloats(n); DeviceFloats dIn = be.buffers().allocFloats(n)) {
                    be.layers().relu(dx, y, n);
                    be.layers().reluBackward(dx, g, dIn, n);
                    be.layers().reluBackward(dx, g, g, n); // dx aliases dy
                    be.layers().relu(dx, dx, n);
                    return download(be, y, dIn, g, dx);
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void reluKeepsThePositivePartAndPassesGradientsThere(String name) {
        Backend backend = TestBackends.get(name);
        for (int n : LENGTHS) {
            float[] x = spanning(n), dy = TestData.uniform(n + 5, n);
            try (DeviceFloats dx = floats(backend, x); DeviceFloats g = floats(backend, dy);
                 DeviceFloats y = backend.buffers().allocFloats(n)) {
                backend.layers().relu(dx, y, n);
                float[] mask = new float[n];
                for (int i = 0; i < n; i++) {
                    mask[i] = x[i] > 0 ? dy[i] : 0f;
                }
                float[] nd = DeviceArrays.host(Transforms.relu(DeviceArrays.nd(x, 1, n), true));
                assertClose(nd, backend.buffers().download(y), 0, "relu vs ND4J n=" + n);
                backend.layers().reluBackward(dx, g, y, n);
                assertArrayEquals(mask, backend.buffers().download(y), "reluBackward n=" + n);
            }
        }
    }
}
