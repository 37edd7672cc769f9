package org.unicom4j.model.encoder.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.KernelListener;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.checkpoint.StateDictMismatchException;
import org.unicom4j.model.encoder.EncoderFixtures;

/**
 * Files of the wrong architecture are refused in one line before anything reaches the device (no kernel, upload
 * included, runs), and {@link HfCheckpointFiles} tells Hugging Face checkpoints from Unicom ones.
 */
class HfBackboneRefusalTest {
    private static final Path SMALL = EncoderFixtures.DIR.resolve("small");

    @TempDir
    Path dir;
    private final Backend backend = TestBackends.get("cpu");
    private final List<String> kernels = new ArrayList<>();

    @BeforeEach
    void listen() {
        backend.setKernelListener(new KernelListener() {
            @Override
            public void started(String kernel) {
                kernels.add(kernel);
            }

            @Override
            public void finished(String kernel, String detail, double flops) {
            }
        });
    }

    @AfterEach
    void stopListening() {
        backend.setKernelListener(null);
    }

    private String refused(Class<? extends InvalidInputException> type, Path weights) {
        String message = assertThrows(type, () -> HfBackbone.load(backend, weights).close()).getMessage();
        assertFalse(message.contains("\n"), message);
        assertEquals(List.of(), kernels, "device work before the refusal");
        return message;
    }

    private Path checkpoint(String config, Path weights) throws Exception {
        Files.writeString(dir.resolve("config.json"), config);
        Files.copy(weights, dir.resolve("model.safetensors"));
        return dir;
    }

    @Test
    void clipWeightsUnderASiglipConfig() throws Exception {
        Path ckpt = checkpoint("{\"model_type\": \"siglip_vision_model\", \"hidden_size\": 48, \"intermediate_size\":"
                + " 96, \"num_hidden_layers\": 1, \"num_attention_heads\": 3, \"image_size\": 28, \"patch_size\": 7}",
                SMALL.resolve("clip-vision-fp32/model.safetensors"));
        String m = refused(StateDictMismatchException.class, ckpt);
        assertTrue(m.startsWith(ckpt.resolve("model.safetensors") + ": 12 missing 'vision_model.embeddings."
                + "patch_embedding.bias', 'vision_model.head.attention.in_proj_bias'"), m);
        assertTrue(m.contains("; 3 unexpected 'vision_model.embeddings.class_embedding', 'vision_model.pre_layrnorm"
                + ".bias', 'vision_model.pre_layrnorm.weight' (32 expected, 23 found) for a SigLIP ViT 28px/7"), m);
        assertTrue(m.endsWith("(as config.json describes it)"), m);
    }

    @Test
    void aConfigDeeperThanItsWeights() throws Exception {
        Path ckpt = checkpoint("{\"model_type\": \"clip_vision_model\", \"hidden_size\": 48, \"intermediate_size\": 96,"
                + " \"num_hidden_layers\": 2, \"num_attention_heads\": 3, \"image_size\": 28, \"patch_size\": 7}",
                SMALL.resolve("clip-vision-fp32/model.safetensors"));
        assertTrue(refused(StateDictMismatchException.class, ckpt).contains(
                ": 16 missing 'vision_model.encoder.layers.1.layer_norm1.bias'"));
    }

    @Test
    void aWiderConfigNamesTheFirstShapeThatDiffers() throws Exception {
        Path ckpt = checkpoint("{\"model_type\": \"clip_vision_model\", \"hidden_size\": 48, \"intermediate_size\": 96,"
                + " \"num_hidden_layers\": 1, \"num_attention_heads\": 3, \"image_size\": 35, \"patch_size\": 7}",
                SMALL.resolve("clip-vision-fp32/model.safetensors"));
        assertEquals(ckpt.resolve("model.safetensors") + ": tensor 'vision_model.embeddings.position_embedding.weight'"
                + " has shape (17, 48), expected (26, 48) for a CLIP ViT 35px/7, width 48, depth 1, heads 3, MLP 96, "
                + "quick GELU -> 48-d (as config.json describes it)", refused(StateDictMismatchException.class, ckpt));
    }

    @Test
    void unicomWeightsUnderAClipConfig() throws Exception {
        Path unicom = dir.resolve("unicom.safetensors");
        SafetensorsWriter.write(unicom, List.of(HostTensor.ofFloats("pos_embed", new float[12], 1, 3, 4),
                HostTensor.ofFloats("blocks.0.norm1.weight", new float[4], 4)), Map.of());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"clip_vision_model\"}");
        assertEquals(unicom + ": no 'vision_model.' tensors: not the weights of a Hugging Face vision model",
                refused(StateDictMismatchException.class, unicom));
    }

    @Test
    void aProjectionOfOtherRows() throws Exception {
        Path src = SMALL.resolve("clip-model-fp16");
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), Files.readString(src.resolve("config.json"))
                .replace("\"projection_dim\": 24", "\"projection_dim\": 32"));
        assertEquals(dir + ": 'visual_projection.weight' has 24 rows, config.json says projection_dim 32",
                refused(StateDictMismatchException.class, dir));
    }

    @Test
    void aDirectoryWithoutWeightsOrConfig() throws Exception {
        assertEquals(dir + ": no config.json in it (a Hugging Face checkpoint needs its config)",
                refused(InvalidInputException.class, dir));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"clip\"}");
        assertEquals(dir + ": no weights in it (expected one of model.safetensors, model.safetensors.index.json, "
                + "pytorch_model.bin, pytorch_model.bin.index.json)", refused(InvalidInputException.class, dir));
    }

    @Test
    void hfCheckpointsAreToldFromUnicomOnes() throws Exception {
        assertTrue(HfCheckpointFiles.isHfCheckpoint(dir));
        Path weights = Files.writeString(dir.resolve("unicom.safetensors"), "x");
        assertFalse(HfCheckpointFiles.isHfCheckpoint(weights));
        Files.writeString(dir.resolve("config.json"), "{\"imageSize\": 224, \"patch\": 32}"); // a VitConfig
        assertFalse(HfCheckpointFiles.isHfCheckpoint(weights));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"siglip\"}");
        assertTrue(HfCheckpointFiles.isHfCheckpoint(weights));
    }
}
