package org.unicom4j.cli.demo;

import java.util.Locale;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.kmeans.KMeansResult;
import org.unicom4j.retrieval.metrics.EmbeddingPrefix;
import org.unicom4j.training.trainer.InMemoryImages;

/**
 * The demo's stand-in for Unicom's clustered CLIP features (spec section 4): with no pretrained model on the
 * machine, the pseudo-classes come from k-means on the L2-normalised pixels of the training images.
 */
final class PixelPseudoClasses {
    static final int ITERATIONS = 10;

    private PixelPseudoClasses() {
    }

    static int[] compute(Backend backend, InMemoryImages images, int clusters, long seed) {
        int dim = images.channels() * images.size() * images.size();
        Vectors points = EmbeddingPrefix.normalized(new Vectors(images.pixels(), images.count(), dim));
        KMeans kmeans = new KMeans(backend, KMeansConfig.of(clusters).withIterations(ITERATIONS).withSeed(seed),
                line -> System.out.println("   " + line));
        KMeansResult result = kmeans.fit(points);
        System.out.printf(Locale.ROOT, "   %d clusters, objective %.4f after %d iterations%n", clusters,
                result.objective(), result.iterations());
        return result.labels();
    }
}
