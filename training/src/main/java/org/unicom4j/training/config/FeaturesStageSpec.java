package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code features} stage: hand-made, label-free features of the training images (and of the eval images, with
 * the same fitted map) for k-means to cluster and evaluation to compare against. Writes {@code train.npy} and
 * {@code eval.npy} (float32 [images, dim]).
 *
 * @param kind       {@code pixels}, {@code pca} (the pixels on their top principal axes) or {@code hog} (HOG
 *                   descriptors on their top principal axes)
 * @param components principal axes kept (pca, hog; default 128)
 * @param sample     PCA is fitted on the first {@code sample} training images (default 20000)
 * @param whitening  component c is divided by variance_c^(whitening/2): 0 keeps the variances, 1 whitens
 *                   (default 0.5 for pca, 0 for hog)
 */
public record FeaturesStageSpec(String name, long seed, String kind, int components, int sample, double whitening)
        implements StageSpec {

    static FeaturesStageSpec read(ConfigNode n, String name, long seed) {
        String kind = n.choice("kind", null, "pixels", "pca", "hog");
        if (kind.equals("pixels")) {
            return new FeaturesStageSpec(name, seed, kind, 0, 0, 0);
        }
        return new FeaturesStageSpec(name, seed, kind, (int) n.integer("components", 128, 1, 1 << 16),
                (int) n.integer("sample", 20_000, 2, Integer.MAX_VALUE),
                n.number("whitening", kind.equals("pca") ? 0.5 : 0, 0, 1));
    }

    @Override
    public String type() {
        return "features";
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode n = StageSpec.header(this).put("kind", kind);
        if (!kind.equals("pixels")) {
            n.put("components", components).put("sample", sample).put("whitening", whitening);
        }
        return n;
    }
}
