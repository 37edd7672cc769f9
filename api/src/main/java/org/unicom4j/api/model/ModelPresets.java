package org.unicom4j.api.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.vit.VitConfig;

/**
 * {@code --model}: a preset name (the released ViT-B/32, B/16, L/14, L/14@336px, or the small test and CPU
 * shapes) spelled loosely ("ViT-B/32", "b32", "vit_b_32"), or a VitConfig JSON file.
 */
public final class ModelPresets {
    private static final Map<String, VitConfig> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("b32", VitConfig.B32);
        PRESETS.put("b16", VitConfig.B16);
        PRESETS.put("l14", VitConfig.L14);
        PRESETS.put("l14336", VitConfig.L14_336);
        PRESETS.put("l14336px", VitConfig.L14_336);
        PRESETS.put("tiny", VitConfig.TINY);
        PRESETS.put("small", VitConfig.SMALL);
    }

    private ModelPresets() {
    }

    /** The names accepted, for help and error messages. */
    public static String names() {
        return "ViT-B/32, ViT-B/16, ViT-L/14, ViT-L/14@336px, tiny, small";
    }

    /** The preset named (loosely spelled) or the VitConfig JSON file at {@code model}. */
    public static VitConfig resolve(String model) throws IOException {
        VitConfig preset = PRESETS.get(canonical(model));
        if (preset != null) {
            return preset;
        }
        Path file = Path.of(model);
        if (Files.isRegularFile(file)) {
            return VitConfig.read(file);
        }
        throw new InvalidInputException("--model '" + model + "' is neither a preset (" + names()
                + ") nor a config JSON file");
    }

    /** "ViT-L/14@336px" -> "l14336px": lower case, letters and digits only, a leading "vit" dropped. */
    static String canonical(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return s.startsWith("vit") ? s.substring(3) : s;
    }
}
