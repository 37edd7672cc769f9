package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.unicom4j.kernels.DeviceArrays.floats;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** patchify against the index formula of its contract and an ND4J reshape/permute. */
class PatchifyKernelsTest {
    /** batch, channels, height, width, patch. */
    private static final int[][] SHAPES = {{1, 1, 1, 1, 1}, {1, 3, 3, 3, 3}, {2, 3, 6, 9, 3}, {3, 1, 17, 34, 17},
        {2, 3, 32, 32, 16}, {4, 3, 224, 224, 16}};

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void tilesFollowTheConvWeightLayout(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int batch = s[0], channels = s[1], height = s[2], width = s[3], p = s[4];
            String what = batch + "x" + channels + "x" + height + "x" + width + " patch " + p;
            int gh = height / p, gw = width / p, rowLength = channels * p * p;
            float[] images = TestData.uniform(height * 31L + width, batch * channels * height * width);
            float[] expected = new float[batch * gh * gw * rowLength];
            for (int b = 0; b < batch; b++) {
                for (int gy = 0; gy < gh; gy++) {
                    for (int gx = 0; gx < gw; gx++) {
                        int row = b * gh * gw + gy * gw + gx;
                        for (int c = 0; c < channels; c++) {
                            for (int ky = 0; ky < p; ky++) {
                                for (int kx = 0; kx < p; kx++) {
                                    expected[row * rowLength + c * p * p + ky * p + kx] =
                                            images[((b * channels + c) * height + gy * p + ky) * width + gx * p + kx];
                                }
                            }
                        }
                    }
                }
            }
            try (DeviceFloats di = floats(backend,
                    images); DeviceFloats out = backend.buffers().allocFloats(expected.length)) {
                backend.layers().patchify(di, out, batch, channels, height, width, p);
                float[] got = backend.buffers().download(out);
                assertArrayEquals(expected, got, "patchify " + what);
                // [B, C, gh, p, gw, p] -> [B, gh, gw, C, p, p] -> [B * gh * gw, C * p * p]
                INDArray nd = Nd4j.create(images, new long[] {batch, channels, gh, p, gw, p}, 'c')
                        .permute(0, 2, 4, 1, 3, 5).dup('c').reshape('c', (long) batch * gh * gw, rowLength);
                assertArrayEquals(DeviceArrays.host(nd), got, "patchify vs ND4J permute " + what);
            }
        }
    }
}
