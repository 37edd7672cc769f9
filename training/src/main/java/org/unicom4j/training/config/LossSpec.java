package org.unicom4j.training.config;

/**
 * The loss of a train stage (config {@code loss}), spec unicom.md section 3.
 *
 * @param type                {@code arcface} (z_y = s cos(theta_y + margin)) or {@code cosface}
 *                            (z_y = s (cos_y - margin))
 * @param scale               s (default 32; the paper's pre-training uses 64)
 * @param margin              m2 for ArcFace or m3 for CosFace (default 0.3)
 * @param classRate           class sampling rate r in (0, 1] (default 1: every class each step; pre-training 0.1)
 * @param sampledDims         d', feature dimensions sampled per step (default min(512, embedding), spec section 3)
 * @param classes             number of prototypes; 0 (default) takes the k-means cluster count for cluster labels,
 *                            else the largest training label + 1
 * @param prototypeInit       how the prototypes start: {@code random} (N(0, 0.01^2), as the reference) or
 *                            {@code class-means} (each class's mean direction of the L2-normalised embeddings of
 *                            the first {@code prototypeInitImages} training images, by the model as the stage
 *                            starts; a class without such an image gets a random unit row)
 * @param prototypeInitImages images embedded for {@code class-means} (default 20000)
 */
public record LossSpec(String type, double scale, double margin, double classRate, int sampledDims, int classes,
                       String prototypeInit, int prototypeInitImages) {
    /** Enough images for about 20 per class at 1000 classes. */
    static final int DEFAULT_INIT_IMAGES = 20_000;

    static LossSpec read(ConfigNode n, int embedding) {
        double classRate = n.number("classRate", 1.0, 0, 1);
        if (classRate == 0) {
            throw n.bad("classRate", "a number in (0, 1]");
        }
        String init = n.choice("prototypeInit", "random", "random", "class-means");
        LossSpec spec = new LossSpec(n.choice("type", "arcface", "arcface", "cosface"), n.positive("scale", 32),
                n.number("margin", 0.3, 0, 1.5), classRate,
                (int) n.integer("sampledDims", Math.min(512, embedding), 1, embedding),
                (int) n.integer("classes", 0, 0, Integer.MAX_VALUE), init,
                (int) n.integer("prototypeInitImages", DEFAULT_INIT_IMAGES, 1, Integer.MAX_VALUE));
        n.finish();
        return spec;
    }

    /** The defaults, for a stage without a {@code loss} object. */
    static LossSpec defaults(int embedding) {
        return new LossSpec("arcface", 32, 0.3, 1.0, Math.min(512, embedding), 0, "random", DEFAULT_INIT_IMAGES);
    }

    /** ArcFace's angular margin m2 (0 for CosFace). */
    public float angularMargin() {
        return type.equals("arcface") ? (float) margin : 0f;
    }

    /** CosFace's additive margin m3 (0 for ArcFace). */
    public float additiveMargin() {
        return type.equals("cosface") ? (float) margin : 0f;
    }
}
