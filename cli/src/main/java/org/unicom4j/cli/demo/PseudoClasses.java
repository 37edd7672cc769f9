package org.unicom4j.cli.demo;

import java.util.Locale;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.kmeans.KMeansResult;
import org.unicom4j.retrieval.L2Norm;

/**
 * Pseudo-classes as in Unicom (spec section 4): k-means on L2-normalised features of the training images, the
 * cluster index of each image becoming its label.
 */
final class PseudoClasses {
    static final int ITERATIONS = 10;

    private PseudoClasses() {
    }

    static int[] compute(Backend backend, Vectors features, int clusters, long seed) {
        Vectors points = L2Norm.normalized(features);
        KMeans kmeans = new KMeans(backend, KMeansConfig.of(clusters).withIterations(ITERATIONS).withSeed(seed),
                line -> System.out.println("   " + line));
        KMeansResult result = kmeans.fit(points);
        System.out.printf(Locale.ROOT, "   %d clusters of %d-d features, objective %.4f after %d iterations%n",
                clusters, features.dim(), result.objective(), result.iterations());
        return result.labels();
    }
}
