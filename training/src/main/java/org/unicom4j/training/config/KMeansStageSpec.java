package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code kmeans} stage: pseudo-classes as in Unicom (spec section 4), k-means on the L2-normalised features of
 * the training images, each image's cluster becoming its label. Writes {@code labels.npy} (int32 [images]) and
 * {@code centroids.npy}.
 *
 * @param of         what is clustered: {@code features} (the last features stage's) or {@code model} (the
 *                   current model's embeddings of the training images, as DeepCluster re-clusters)
 * @param clusters   k
 * @param iterations Lloyd passes after the initial assignment (default 10)
 * @param init       {@code random} (k distinct points, default) or {@code kmeans++}
 */
public record KMeansStageSpec(String name, long seed, String of, int clusters, int iterations, String init)
        implements StageSpec {

    static KMeansStageSpec read(ConfigNode n, String name, long seed) {
        return new KMeansStageSpec(name, seed, n.choice("of", "features", "features", "model"),
                (int) n.integer("clusters", 2, Integer.MAX_VALUE), (int) n.integer("iterations", 10, 0, 10_000),
                n.choice("init", "random", "random", "kmeans++"));
    }

    @Override
    public String type() {
        return "kmeans";
    }

    @Override
    public ObjectNode toJson() {
        return StageSpec.header(this).put("of", of).put("clusters", clusters).put("iterations", iterations)
                .put("init", init);
    }
}
