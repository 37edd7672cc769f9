package org.unicom4j.retrieval.kmeans;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;

/**
 * The first centroids of a run, seeded by {@link KMeansConfig#seed()}: k distinct rows drawn uniformly, or
 * k-means++ on {@link KMeansConfig#initSample()} distinct rows drawn uniformly. Only the drawn rows are read,
 * through {@code gather}, so the single-machine and the distributed k-means start from the same centroids.
 */
public final class InitialCentroids {
    private InitialCentroids() {
    }

    /**
     * @param rows   the number of rows
     * @param gather the rows at the given ascending positions, in that order
     */
    public static Vectors choose(Backend backend, KMeansConfig config, long rows, Function<long[], Vectors> gather) {
        SplittableRandom random = new SplittableRandom(config.seed());
        int k = config.k();
        return switch (config.init()) {
            case RANDOM_SAMPLE -> gather.apply(DistinctSample.draw(rows, k, random));
            case KMEANS_PLUS_PLUS -> {
                int s = (int) Math.min(rows, config.initSample());
                Vectors sample = gather.apply(DistinctSample.draw(rows, s, random));
                int[] chosen = KMeansPlusPlus.choose(backend, sample, k, random);
                int d = sample.dim();
                float[] c = new float[k * d];
                for (int i = 0; i < k; i++) {
                    System.arraycopy(sample.data(), chosen[i] * d, c, i * d, d);
                }
                yield new Vectors(c, k, d);
            }
        };
    }
}
