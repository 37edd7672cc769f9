package org.unicom4j.cli.demo;

import java.util.Locale;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;

/**
 * What the first k-means runs on, with no pretrained model on the machine to stand in for Unicom's CLIP
 * features: the raw pixels, or the pixels centred, projected on their leading principal axes and half-whitened
 * (each component divided by the square root of its standard deviation), which ranks neighbours better than
 * raw pixels on Fashion-MNIST.
 */
enum ClusterFeatures {
    PIXELS("raw pixels (784-d)"),
    PCA("pixels on their top " + ClusterFeatures.PCA_COMPONENTS + " principal axes, half-whitened");

    static final int PCA_COMPONENTS = 128;
    /** Component c is divided by variance_c^(POWER/2): 0.5 halfway between raw PCA (0) and whitening (1). */
    static final double PCA_WHITENING_POWER = 0.5;

    private final String description;

    ClusterFeatures(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    static ClusterFeatures parse(String name) {
        for (ClusterFeatures f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--cluster-features must be pixels or pca, got " + name);
    }

    /** The features of {@code pixels} [rows, 784] (not yet L2-normalised). */
    Vectors compute(Backend backend, Vectors pixels, long seed) {
        if (this == PIXELS) {
            return pixels;
        }
        PrincipalComponents pca = PrincipalComponents.fit(backend, pixels, PCA_COMPONENTS, seed);
        double kept = 0;
        for (int c = 0; c < pca.components(); c++) {
            kept += pca.variance(c);
        }
        System.out.printf(Locale.ROOT, "   PCA: %d components, variance %.2f kept%n", pca.components(), kept);
        return pca.project(pixels, PCA_WHITENING_POWER);
    }
}
