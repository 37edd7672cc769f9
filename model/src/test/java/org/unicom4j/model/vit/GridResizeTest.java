package org.unicom4j.model.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.model.checkpoint.StateDictMismatchException;

/** Resolution change against PyTorch's F.interpolate(bicubic, align_corners=False) on the fixture weights. */
class GridResizeTest {
    static final Path DIR = VitParityTest.DIR;

    @Test
    void matchesPyTorchBicubic() {
        TensorSource resized = GridResize.resize(new NpyFolderSource(DIR.resolve("weights")), 4);
        NpyFolderSource expected = new NpyFolderSource(DIR.resolve("resized"));
        for (String key : expected.keys()) {
            assertArrayEquals(expected.shape(key), resized.shape(key), key);
            float[] e = expected.floats(key), a = resized.floats(key);
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], 1e-6 * (1 + Math.abs(e[i])), key + "[" + i + "]");
            }
        }
        assertArrayEquals(new long[] {48, 3, 8, 8}, resized.shape("patch_embed.proj.weight"));
    }

    @Test
    void sameGridIsTheIdentity() {
        float[] x = TestData.uniform(5, 2 * 3 * 3 * 7);
        assertArrayEquals(x, GridResize.resample(x, 2, 3, 7, 3));
    }

    @Test
    void constantGridStaysConstant() {
        // the cubic weights sum to 1, and border taps are clamped, so a constant image stays constant
        float[] x = new float[5 * 5 * 2];
        java.util.Arrays.fill(x, 0.75f);
        for (float v : GridResize.resample(x, 1, 5, 2, 7)) {
            assertEquals(0.75f, v, 1e-6f);
        }
    }

    @Test
    void resizedWeightsLoadIntoTheLargerModel() throws Exception {
        Backend backend = TestBackends.get("cpu");
        VitConfig small = VitConfig.read(DIR.resolve("config.json"));
        VitConfig larger = small.withImageSize(4 * small.patch());
        TensorSource resized = GridResize.resize(new NpyFolderSource(DIR.resolve("weights")), larger.grid());
        try (VisionTransformer model = new VisionTransformer(backend, larger)) {
            StateDictIo.load(model, resized);
            assertArrayEquals(resized.floats("feature.0.weight"),
                    StateDictIo.download(model, model.layout().slot("feature.0.weight")));
        }
    }

    @Test
    void rejectsANonSquareTokenCount() {
        TensorSource bad = StateDictIo.asSource(java.util.List.of(
                new StateDictIo.Entry("pos_embed", new long[] {1, 10, 4}, new float[40], false, 0),
                new StateDictIo.Entry("feature.0.weight", new long[] {4, 40}, new float[160], false, 0)));
        var e = assertThrows(StateDictMismatchException.class, () -> GridResize.resize(bad, 4));
        assertTrue(e.getMessage().contains("10 tokens, not a square grid"), e.getMessage());
    }
}
