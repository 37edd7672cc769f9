package org.unicom4j.cli.demo;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;

/**
 * What the first k-means runs on, standing in for Unicom's CLIP features (no pretrained model is on the
 * machine, and none may use labels): the raw pixels; the pixels centred, projected on their leading principal
 * axes and half-whitened (each component divided by the square root of its standard deviation); or HOG
 * descriptors of the pixels. Each is fitted on the training images and applies to any images.
 */
enum ClusterFeatures {
    PIXELS("raw pixels (784-d)"),
    PCA("pixels on their top " + ClusterFeatures.PCA_COMPONENTS + " principal axes, half-whitened"),
    HOG("HOG descriptors (" + HogFeatures.dim(DemoSettings.IMAGE_SIZE) + "-d: " + HogFeatures.BINS
            + " orientations, " + HogFeatures.CELL + "x" + HogFeatures.CELL + " cells, 2x2 blocks)");

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
        throw new IllegalArgumentException("--cluster-features must be pixels, pca or hog, got " + name);
    }

    /**
     * The feature map fitted on the training {@code pixels} [rows, size*size] of single-channel square images:
     * it turns such pixel rows into feature rows (not yet L2-normalised).
     */
    UnaryOperator<Vectors> fit(Backend backend, Vectors pixels, long seed) {
        return switch (this) {
            case PIXELS -> v -> v;
            case HOG -> v -> HogFeatures.compute(v.data(), v.rows(), (int) Math.round(Math.sqrt(v.dim())));
            case PCA -> {
                PrincipalComponents pca = PrincipalComponents.fit(backend, pixels, PCA_COMPONENTS, seed);
                System.out.printf(Locale.ROOT, "   PCA: %d components keep %.1f%% of the variance%n",
                        pca.components(), 100 * pca.keptVarianceFraction());
                yield v -> pca.project(v, PCA_WHITENING_POWER);
            }
        };
    }
}
