package org.unicom4j.model.encoder.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Gelu;
import org.unicom4j.model.encoder.EncoderConfig;
import org.unicom4j.model.encoder.EncoderFamily;
import org.unicom4j.model.encoder.EncoderLayout;

/**
 * config.json as the released repositories ship it (nested two-tower configs that list only some fields, flat
 * vision-model configs), with transformers' defaults for the rest, and one-line refusals of other models.
 */
class HfVisionConfigTest {
    @TempDir
    Path dir;

    private EncoderConfig read(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return HfVisionConfig.read(file);
    }

    @Test
    void siglipSo400mAsReleased() throws Exception {
        EncoderConfig c = read("""
                {"architectures": ["SiglipModel"], "model_type": "siglip",
                 "text_config": {"hidden_size": 1152, "intermediate_size": 4304, "model_type": "siglip_text_model"},
                 "vision_config": {"hidden_size": 1152, "image_size": 384, "intermediate_size": 4304,
                   "model_type": "siglip_vision_model", "num_attention_heads": 16, "num_hidden_layers": 27,
                   "patch_size": 14}}""");
        assertEquals(new EncoderConfig(EncoderFamily.SIGLIP, 1152, 4304, 16, 27, 14, 384, 3, 1e-6f, Gelu.TANH, 0), c);
        assertEquals(729, c.tokens());
        assertEquals(428_225_600, EncoderLayout.of(c).parameterCount());
    }

    @Test
    void clipB32AsReleasedTakesTheTopLevelProjection() throws Exception {
        EncoderConfig c = read("""
                {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 512,
                 "text_config": {"hidden_size": 512}, "vision_config": {"hidden_size": 768,
                 "intermediate_size": 3072, "num_attention_heads": 12, "num_hidden_layers": 12, "patch_size": 32}}""");
        assertEquals(new EncoderConfig(EncoderFamily.CLIP, 768, 3072, 12, 12, 32, 224, 3, 1e-5f, Gelu.QUICK, 512), c);
        assertEquals(50, c.tokens());
        assertEquals(87_849_216, EncoderLayout.of(c).parameterCount());
    }

    @Test
    void flatVisionConfigsAndDefaults() throws Exception {
        EncoderConfig clip = read("{\"model_type\": \"clip_vision_model\", \"hidden_size\": 1024, \"patch_size\": 14,"
                + " \"num_hidden_layers\": 24, \"num_attention_heads\": 16, \"intermediate_size\": 4096,"
                + " \"projection_dim\": 768}");
        assertEquals(303_966_208, EncoderLayout.of(clip).parameterCount());
        EncoderConfig siglip = read("{\"model_type\": \"siglip_vision_model\"}");
        assertEquals(new EncoderConfig(EncoderFamily.SIGLIP, 768, 3072, 12, 12, 16, 224, 3, 1e-6f, Gelu.TANH, 0),
                siglip);
        assertEquals(Gelu.TANH, read("{\"model_type\": \"clip_vision_model\", \"hidden_act\": \"gelu_new\"}")
                .activation());
    }

    @Test
    void otherModelsAndUnsupportedFieldsAreOneLineErrors() {
        Path file = dir.resolve("config.json");
        assertEquals(file + ": model_type 'vit' (architectures [\"ViTModel\"]) is not a CLIP or SigLIP vision model "
                + "(expected clip, clip_vision_model, siglip or siglip_vision_model)",
                refused("{\"model_type\": \"vit\", \"architectures\": [\"ViTModel\"]}"));
        assertEquals(file + ": model_type '' is not a CLIP or SigLIP vision model (expected clip, clip_vision_model, "
                + "siglip or siglip_vision_model)", refused("{\"imageSize\": 224, \"patch\": 32}"));
        assertEquals(file + ": hidden_act 'gelu' is not supported (quick_gelu, gelu_pytorch_tanh or gelu_new)",
                refused("{\"model_type\": \"clip_vision_model\", \"hidden_act\": \"gelu\"}"));
        assertEquals(file + ": vision_use_head is false: this SigLIP tower has no attention-pooling head, so no "
                + "pooled embedding", refused("{\"model_type\": \"siglip_vision_model\", \"vision_use_head\": false}"));
        assertEquals(file + ": hidden_size 100 is not a multiple of num_attention_heads 12",
                refused("{\"model_type\": \"clip_vision_model\", \"hidden_size\": 100}"));
        assertEquals(file + ": 'patch_size' must be a positive integer, got 0",
                refused("{\"model_type\": \"clip_vision_model\", \"patch_size\": 0}"));
        assertEquals(file + ": 'vision_config' must be an object",
                refused("{\"model_type\": \"siglip\", \"vision_config\": 3}"));
    }

    private String refused(String json) {
        return assertThrows(InvalidInputException.class, () -> read(json)).getMessage();
    }
}
