package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.unicom4j.kernels.DeviceArrays.floats;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * patchify against the reference backend, and (the reference too) an ND4J reshape/permute of the images, whose
 * pixels past the last whole tile (a size not a multiple of the patch) are cut off first.
 */
class PatchifyKernelsTest {
    /** batch, channels, height, width, patch. */
    private static final int[][] SHAPES = {{1, 1, 1, 1, 1}, {1, 3, 3, 3, 3}, {2, 3, 6, 9, 3}, {3, 1, 17, 34, 17},
        {2, 3, 32, 32, 16}, {4, 3, 224, 224, 16}, {2, 3, 64, 64, 14}, {1, 2, 10, 7, 3}};

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void matchesTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int batch = s[0], channels = s[1], height = s[2], width = s[3], p = s[4];
            float[] images = TestData.uniform(height * 31L + width, batch * channels * height * width);
            ReferenceCheck.agrees(backend, 0, "patchify " + batch + "x" + channels + "x" + height + "x" + width
                    + " patch " + p, be -> patchify(be, images, s));
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void tilesFollowTheConvWeightLayout(String name) {
        Backend backend = TestBackends.get(name);
        for (int[] s : SHAPES) {
            int batch = s[0], channels = s[1], height = s[2], width = s[3], p = s[4];
            int gh = height / p, gw = width / p, rowLength = channels * p * p;
            float[] images = TestData.uniform(height * 31L + width, batch * channels * height * width);
            // crop to whole tiles, then [B, C, gh, p, gw, p] -> [B, gh, gw, C, p, p] -> [B * gh * gw, C * p * p]
            INDArray cropped = Nd4j.create(images, new long[] {batch, channels, height, width}, 'c')
                    .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, gh * p),
                            NDArrayIndex.interval(0, gw * p)).dup('c');
            INDArray nd = cropped.reshape('c', batch, channels, gh, p, gw, p)
                    .permute(0, 2, 4, 1, 3, 5).dup('c').reshape('c', (long) batch * gh * gw, rowLength);
            float[] got = patchify(backend, images, s);
            assertArrayEquals(DeviceArrays.host(nd), java.util.Arrays.copyOf(got, batch * gh * gw * rowLength),
                    "patchify vs ND4J permute " + batch + "x" + channels + "x" + height + "x" + width + " patch " + p);
        }
    }

    private static float[] patchify(Backend backend, float[] images, int[] s) {
        int batch = s[0], channels = s[1], height = s[2], width = s[3], p = s[4];
        try (DeviceFloats di = floats(backend, images); DeviceFloats out = backend.buffers().allocFloats(images.length)) {
            backend.layers().patchify(di, out, batch, channels, height, width, p);
            return backend.buffers().download(out);
        }
    }
}
