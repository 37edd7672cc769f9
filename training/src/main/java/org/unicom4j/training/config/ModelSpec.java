package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.unicom4j.model.sscq.SscqConfig;
import org.unicom4j.model.vit.VitConfig;

/**
 * The model of a run (config {@code model}: a preset name or an inline VitConfig object) and optional initial
 * weights (config {@code weights}: a {@code .pt} or safetensors state dict, e.g. a released Unicom model to
 * fine-tune); without weights the model is initialised from scratch with the run's seed. A {@code head} run's
 * model is a {@link HeadSpec} instead (vit and weights null). For {@code method: sscq} the model is an SSCQ network
 * ({@code sscq}: the head and codebooks behind the ViT, {@link #withSscq}); null otherwise.
 */
public record ModelSpec(String preset, VitConfig vit, String weights, HeadSpec head, SscqConfig sscq) {

    public ModelSpec(String preset, VitConfig vit, String weights) {
        this(preset, vit, weights, null, null);
    }

    /** The size of the embeddings the trained model gives (the loss's). */
    public int embedding() {
        return head != null ? head.out() : vit.embedding();
    }

    static ModelSpec readHead(ConfigNode root, Path base) {
        if (root.contains("weights")) {
            throw new InvalidConfigException(root.source() + ": config key 'weights' does not apply to method head "
                    + "(the frozen backbone is model.backbone)");
        }
        return new ModelSpec(null, null, null, HeadSpec.read(root, base), null);
    }

    /**
     * Presets: the released shapes (spec section 1) and the small test/CPU shapes, by canonical name (lower case,
     * letters and digits, a leading "vit" dropped: "ViT-L/14@336px" is "l14336px"), as the cli's --model reads them.
     */
    static final Map<String, VitConfig> PRESETS = Map.of("b32", VitConfig.B32, "b16", VitConfig.B16,
            "l14", VitConfig.L14, "l14336", VitConfig.L14_336, "l14336px", VitConfig.L14_336,
            "tiny", VitConfig.TINY, "small", VitConfig.SMALL);
    private static final String NAMES = "ViT-B/32, ViT-B/16, ViT-L/14, ViT-L/14@336px, tiny, small";

    static String canonical(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return s.startsWith("vit") ? s.substring(3) : s;
    }

    static ModelSpec read(ConfigNode root, Path base) {
        JsonNode model = root.raw("model");
        String weights = root.optionalText("weights").map(w -> base.resolve(w).toAbsolutePath().normalize()
                .toString()).orElse(null);
        if (model == null || model.isNull()) {
            throw new InvalidConfigException(root.source() + ": config key 'model' is required (a preset: " + NAMES
                    + "; or an object of VitConfig fields)");
        }
        if (model.isTextual()) {
            String key = canonical(model.asText());
            VitConfig preset = PRESETS.get(key);
            if (preset == null) {
                throw root.bad("model", "a preset (" + NAMES + ") or an object of VitConfig fields");
            }
            return new ModelSpec(model.asText(), preset, weights);
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
            throw new InvalidConfigException(root.source() + ": config key 'model': " + e.getMessage());
        }
        n.finish();
        return new ModelSpec(null, vit, weights);
    }

    /**
     * This spec with the SSCQ head and codebooks of config {@code sscq} (defaults: 32 bits of 16-codeword books,
     * sub-vectors of 16, a hidden width of 512, temperature 0.2; spec sscq.md): {@code bits} = books * log2(words).
     */
    ModelSpec withSscq(ConfigNode root) {
        ConfigNode n = root.optionalObject("sscq").orElse(null);
        SscqConfig d = SscqConfig.forBits(vit, 32);
        if (n == null) {
            return new ModelSpec(preset, vit, weights, null, d);
        }
        int words = (int) n.integer("words", d.words(), 2, 256);
        int bitsPerBook = 32 - Integer.numberOfLeadingZeros(words - 1);
        int bits = (int) n.integer("bits", d.bits(), 1, 1 << 16);
        if ((words & (words - 1)) != 0 || bits % bitsPerBook != 0) {
            throw n.bad("bits", "a multiple of log2(words) = " + bitsPerBook + " bits per codebook, with words a "
                    + "power of two");
        }
        SscqConfig c = new SscqConfig(vit, (int) n.integer("hidden", d.hidden(), 1, 1 << 16), bits / bitsPerBook,
                words, (int) n.integer("subDim", d.subDim(), 1, 1 << 12), n.positive("temperature", d.temperature()));
        n.finish();
        return new ModelSpec(preset, vit, weights, null, c);
    }
}
