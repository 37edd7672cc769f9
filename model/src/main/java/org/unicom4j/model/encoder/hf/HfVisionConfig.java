package org.unicom4j.model.encoder.hf;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Gelu;
import org.unicom4j.model.encoder.EncoderConfig;
import org.unicom4j.model.encoder.EncoderFamily;

/**
 * A Hugging Face {@code config.json} as an {@link EncoderConfig}. {@code model_type} decides the family and where the
 * vision fields are: top level for {@code clip_vision_model} and {@code siglip_vision_model}, under
 * {@code vision_config} for the two-tower {@code clip} and {@code siglip}. Absent fields take the defaults of
 * transformers' CLIPVisionConfig and SiglipVisionConfig (configuration_clip.py, configuration_siglip.py), since
 * released files often list only what differs.
 */
public final class HfVisionConfig {
    /** CLIPVisionConfig defaults: ViT-B/32 at 224 px, quick GELU, eps 1e-5; CLIPConfig's projection_dim 512. */
    private static final Defaults CLIP = new Defaults(768, 3072, 12, 12, 32, 224, 1e-5, "quick_gelu", 512);
    /** SiglipVisionConfig defaults: ViT-B/16 at 224 px, tanh GELU, eps 1e-6. */
    private static final Defaults SIGLIP = new Defaults(768, 3072, 12, 12, 16, 224, 1e-6, "gelu_pytorch_tanh", 0);

    private record Defaults(int width, int mlp, int heads, int depth, int patch, int imageSize, double eps,
                            String act, int projection) {
    }

    private HfVisionConfig() {
    }

    /**
     * The vision tower {@code file} describes, with CLIP's projection of {@code projection_dim} rows (whether the
     * weights have one is for the loader to see). A config of another architecture is a one-line
     * {@link InvalidInputException}.
     */
    public static EncoderConfig read(Path file) throws IOException {
        JsonFile json = JsonFile.read(file);
        String type = json.text("model_type", "");
        EncoderFamily family;
        JsonFile vision;
        switch (type) {
            case "clip" -> {
                family = EncoderFamily.CLIP;
                vision = json.object(json.root(), "vision_config");
            }
            case "siglip" -> {
                family = EncoderFamily.SIGLIP;
                vision = json.object(json.root(), "vision_config");
            }
            case "clip_vision_model" -> {
                family = EncoderFamily.CLIP;
                vision = json;
            }
            case "siglip_vision_model" -> {
                family = EncoderFamily.SIGLIP;
                vision = json;
            }
            default -> throw new InvalidInputException(file + ": model_type '" + type + "'" + architectures(json)
                    + " is not a CLIP or SigLIP vision model (expected clip, clip_vision_model, siglip or "
                    + "siglip_vision_model)");
        }
        Defaults d = family == EncoderFamily.CLIP ? CLIP : SIGLIP;
        if (family == EncoderFamily.SIGLIP && !vision.flag("vision_use_head", true)) {
            throw new InvalidInputException(file + ": vision_use_head is false: this SigLIP tower has no attention-"
                    + "pooling head, so no pooled embedding");
        }
        int projection = family == EncoderFamily.CLIP
                ? (type.equals("clip") ? json : vision).positive("projection_dim", d.projection()) : 0;
        try {
            return new EncoderConfig(family, vision.positive("hidden_size", d.width()),
                    vision.positive("intermediate_size", d.mlp()), vision.positive("num_attention_heads", d.heads()),
                    vision.positive("num_hidden_layers", d.depth()), vision.positive("patch_size", d.patch()),
                    vision.positive("image_size", d.imageSize()), vision.positive("num_channels", 3),
                    (float) vision.number("layer_norm_eps", d.eps()), activation(file,
                    vision.text("hidden_act", d.act())), projection);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private static Gelu activation(Path file, String name) {
        return switch (name) {
            case "quick_gelu" -> Gelu.QUICK;
            case "gelu_pytorch_tanh", "gelu_new" -> Gelu.TANH;
            default -> throw new InvalidInputException(file + ": hidden_act '" + name
                    + "' is not supported (quick_gelu, gelu_pytorch_tanh or gelu_new)");
        };
    }

    private static String architectures(JsonFile json) {
        return json.has("architectures") ? " (architectures " + json.root().get("architectures") + ")" : "";
    }
}
