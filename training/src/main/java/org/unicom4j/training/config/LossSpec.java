package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The loss of a train stage (config {@code loss}): one of the margin-loss family (spec unicom.md section 3; the
 * table in docs/TRAINING.md gives each type's formula and paper) on the sampled path.
 *
 * @param type                one of {@link #TYPES} (default {@code arcface})
 * @param scale               s (default 32 for arcface and cosface, 30 for subcenter- and dynamic-arcface, 64 for
 *                            curricularface, adaface and li-arcface; adacos adapts its own and has none: 0)
 * @param margin              m (default 0.3 for arcface and cosface, 0.5 for subcenter-arcface and curricularface,
 *                            0.4 for adaface, 0.45 for li-arcface; dynamic-arcface and adacos have none: 0)
 * @param classRate           class sampling rate r in (0, 1] (default 1: every class each step; pre-training 0.1;
 *                            adacos needs 1)
 * @param sampledDims         d', feature dimensions sampled per step (default min(512, embedding), spec section 3;
 *                            adaface needs every dimension)
 * @param classes             number of prototypes; 0 (default) takes the k-means cluster count for cluster labels,
 *                            else the largest training label + 1
 * @param prototypeInit       how the prototypes start: {@code random} (N(0, 0.01^2), as the reference) or
 *                            {@code class-means} (each class's mean direction of the L2-normalised embeddings of
 *                            the first {@code prototypeInitImages} training images, by the model as the stage
 *                            starts; a class without such an image gets a random unit row; sub-centres start as
 *                            copies of their class's row)
 * @param prototypeInitImages images embedded for {@code class-means} (default 20000)
 * @param options             the type-specific keys
 */
public record LossSpec(String type, double scale, double margin, double classRate, int sampledDims, int classes,
                       String prototypeInit, int prototypeInitImages, MarginOptions options)
        implements StageLoss {
    /** Enough images for about 20 per class at 1000 classes. */
    static final int DEFAULT_INIT_IMAGES = 20_000;
    /** Every {@code loss.type}. */
    public static final List<String> TYPES = List.of("arcface", "cosface", "subcenter-arcface", "dynamic-arcface",
            "adacos", "curricularface", "adaface", "li-arcface");
    /** The keys that apply to some types only, and those types. */
    private static final Map<String, List<String>> TYPE_KEYS = Map.ofEntries(
            Map.entry("scale", List.of("arcface", "cosface", "subcenter-arcface", "dynamic-arcface", "curricularface",
                    "adaface", "li-arcface")),
            Map.entry("margin", List.of("arcface", "cosface", "subcenter-arcface", "curricularface", "adaface",
                    "li-arcface")),
            Map.entry("easyMargin", List.of("arcface", "subcenter-arcface", "dynamic-arcface")),
            Map.entry("marginGradient", List.of("arcface", "cosface", "subcenter-arcface", "dynamic-arcface")),
            Map.entry("subCentres", List.of("subcenter-arcface")),
            Map.entry("marginMin", List.of("dynamic-arcface")),
            Map.entry("marginMax", List.of("dynamic-arcface")),
            Map.entry("h", List.of("adaface")),
            Map.entry("normMomentum", List.of("adaface")),
            Map.entry("normMean", List.of("adaface")),
            Map.entry("normStd", List.of("adaface")));

    /** The Unicom loss with the default type-specific keys of {@code type}. */
    public LossSpec(String type, double scale, double margin, double classRate, int sampledDims, int classes,
                    String prototypeInit, int prototypeInitImages) {
        this(type, scale, margin, classRate, sampledDims, classes, prototypeInit, prototypeInitImages,
                MarginOptions.defaults(type));
    }

    static LossSpec read(ConfigNode n, int embedding) {
        String type = n.choice("type", "arcface", TYPES.toArray(String[]::new));
        for (Map.Entry<String, List<String>> e : TYPE_KEYS.entrySet()) {
            if (!e.getValue().contains(type) && n.contains(e.getKey())) {
                throw new InvalidConfigException(n.source() + ": config key '" + n.name(e.getKey()) + "' applies to "
                        + "loss.type " + String.join(", ", e.getValue()) + ", not " + type);
            }
        }
        double classRate = n.number("classRate", 1.0, 0, 1);
        if (classRate == 0 || type.equals("adacos") && classRate < 1) {
            throw n.bad("classRate", type.equals("adacos") ? "1 for adacos (its scale sums over every class)"
                    : "a number in (0, 1]");
        }
        int sampledDims = (int) n.integer("sampledDims", defaultSampledDims(type, embedding), 1, embedding);
        if (type.equals("adaface") && sampledDims != embedding) {
            throw n.bad("sampledDims", embedding + " (every dimension) for adaface, which reads the feature norm");
        }
        String init = n.choice("prototypeInit", "random", "random", "class-means");
        double scale = applies("scale", type) ? n.positive("scale", defaultScale(type)) : 0;
        double margin = applies("margin", type) ? n.number("margin", defaultMargin(type), 0, 1.5) : 0;
        LossSpec spec = new LossSpec(type, scale, margin, classRate, sampledDims,
                (int) n.integer("classes", 0, 0, Integer.MAX_VALUE), init,
                (int) n.integer("prototypeInitImages", DEFAULT_INIT_IMAGES, 1, Integer.MAX_VALUE),
                MarginOptions.read(n, type));
        n.finish();
        return spec;
    }

    /** The defaults, for a stage without a {@code loss} object. */
    static LossSpec defaults(int embedding) {
        return new LossSpec("arcface", 32, 0.3, 1.0, Math.min(512, embedding), 0, "random", DEFAULT_INIT_IMAGES);
    }

    static boolean applies(String key, String type) {
        return TYPE_KEYS.get(key).contains(type);
    }

    private static int defaultSampledDims(String type, int embedding) {
        return type.equals("adaface") ? embedding : Math.min(512, embedding);
    }

    private static double defaultScale(String type) {
        return switch (type) {
            case "arcface", "cosface" -> 32;
            case "subcenter-arcface", "dynamic-arcface" -> 30;
            default -> 64;
        };
    }

    private static double defaultMargin(String type) {
        return switch (type) {
            case "subcenter-arcface", "curricularface" -> 0.5;
            case "adaface" -> 0.4;
            case "li-arcface" -> 0.45;
            default -> 0.3;
        };
    }

    /** This spec in the config-file format: the common keys and those of its type. */
    @Override
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", type);
        if (applies("scale", type)) {
            n.put("scale", scale);
        }
        if (applies("margin", type)) {
            n.put("margin", margin);
        }
        n.put("classRate", classRate).put("sampledDims", sampledDims).put("classes", classes)
                .put("prototypeInit", prototypeInit).put("prototypeInitImages", prototypeInitImages);
        MarginOptions o = options;
        if (applies("easyMargin", type)) {
            n.put("easyMargin", o.easyMargin());
        }
        if (applies("marginGradient", type)) {
            n.put("marginGradient", o.marginGradient());
        }
        if (applies("subCentres", type)) {
            n.put("subCentres", o.subCentres());
        }
        if (applies("marginMin", type)) {
            n.put("marginMin", o.marginMin()).put("marginMax", o.marginMax());
        }
        if (applies("h", type)) {
            n.put("h", o.h()).put("normMomentum", o.normMomentum()).put("normMean", o.normMean())
                    .put("normStd", o.normStd());
        }
        return n;
    }
}
