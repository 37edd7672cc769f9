package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.unicom4j.model.vit.VitConfig;

/**
 * The model of a run (config {@code model}: a preset name or an inline VitConfig object) and optional initial
 * weights (config {@code weights}: a {@code .pt} or safetensors state dict, e.g. a released Unicom model to
 * fine-tune); without weights the model is initialised from scratch with the run's seed.
 */
public record ModelSpec(String preset, VitConfig vit, String weights) {
    /** Preset names: the released shapes (spec section 1) and the small test/CPU shapes. */
    static final Map<String, VitConfig> PRESETS = Map.of(
            "vit-b-32", VitConfig.B32, "vit-b-16", VitConfig.B16, "vit-l-14", VitConfig.L14,
            "vit-l-14-336px", VitConfig.L14_336, "tiny", VitConfig.TINY, "small", VitConfig.SMALL);

    static ModelSpec read(ConfigNode root, Path base) {
        JsonNode model = root.raw("model");
        String weights = root.optionalText("weights").map(w -> base.resolve(w).toAbsolutePath().normalize()
                .toString()).orElse(null);
        if (model == null || model.isNull()) {
            throw new IllegalArgumentException(root.source() + ": config key 'model' is required (a preset: "
                    + String.join(", ", new java.util.TreeSet<>(PRESETS.keySet())) + "; or an object of VitConfig "
                    + "fields)");
        }
        if (model.isTextual()) {
            String key = model.asText().toLowerCase(Locale.ROOT).replace('/', '-').replace('@', '-');
            VitConfig preset = PRESETS.get(key);
            if (preset == null) {
                throw root.bad("model", "a preset (" + String.join(", ", new java.util.TreeSet<>(PRESETS.keySet()))
                        + ") or an object of VitConfig fields");
            }
            return new ModelSpec(key, preset, weights);
        }
        ConfigNode n = root.object("model");
        int imageSize = (int) n.integer("imageSize", 1, 4096), channels = (int) n.integer("channels", 3, 1, 3);
        int patch = (int) n.integer("patch", 1, 4096), width = (int) n.integer("width", 1, 1 << 16);
        int depth = (int) n.integer("depth", 1, 1024), heads = (int) n.integer("heads", 1, 1024);
        int mlpHidden = (int) n.integer("mlpHidden", 1, 1 << 20), embedding = (int) n.integer("embedding", 1, 1 << 16);
        double dropPathRate = n.number("dropPathRate", 0.0, 0.0, 0.999);
        VitConfig vit;
        try {
            vit = new VitConfig(imageSize, channels, patch, width, depth, heads, mlpHidden, embedding, dropPathRate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(root.source() + ": config key 'model': " + e.getMessage(), e);
        }
        n.finish();
        return new ModelSpec(null, vit, weights);
    }
}
