package org.unicom4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.npy.NpyArray;

/**
 * The small ViT's checkpoints from tools/make_vit_fixtures.py (torch.save of a Unicom-layout state dict, fp32 and
 * the released fp16 form) against the same weights that script saved as .npy: a second, independent writer of
 * the expected values.
 */
class VitFixtureCheckpointTest {
    private static Path vitDir() {
        try {
            return Path.of(VitFixtureCheckpointTest.class.getResource("/vit/small").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void float32CheckpointEqualsTheNpyWeights() throws IOException {
        try (StateDict sd = TorchCheckpointReader.read(vitDir().resolve("weights_fp32.pt"))) {
            assertEquals(39, sd.size());
            for (HostTensor t : sd) {
                NpyArray npy = NpyArray.read(vitDir().resolve("weights").resolve(t.name() + ".npy"));
                assertArrayEquals(npy.shape(), t.shape(), t.name());
                if (t.name().endsWith("num_batches_tracked")) {
                    assertEquals(DType.I64, t.dtype());
                    assertArrayEquals(npy.toLongs(), t.toLongArray(), t.name());
                } else {
                    assertEquals(DType.F32, t.dtype(), t.name());
                    assertArrayEquals(npy.toFloats(), t.toFloatArray(), t.name());
                }
            }
        }
    }

    @Test
    void float16CheckpointEqualsTheNpyWeightsRoundedToHalf() throws IOException {
        try (StateDict sd = TorchCheckpointReader.read(vitDir().resolve("weights_fp16.pt"))) {
            assertEquals(39, sd.size());
            for (HostTensor t : sd) {
                if (t.name().endsWith("num_batches_tracked")) {
                    continue;
                }
                assertEquals(DType.F16, t.dtype(), t.name());
                float[] expected = NpyArray.read(vitDir().resolve("weights").resolve(t.name() + ".npy")).toFloats();
                for (int i = 0; i < expected.length; i++) {
                    // torch's .half() rounds to nearest even, as Float.floatToFloat16 does.
                    expected[i] = Float.float16ToFloat(Float.floatToFloat16(expected[i]));
                }
                assertArrayEquals(expected, t.toFloatArray(), t.name());
            }
        }
    }
}
