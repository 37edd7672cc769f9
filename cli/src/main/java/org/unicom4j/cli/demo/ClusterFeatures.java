package org.unicom4j.cli.demo;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.features.HogFeatures;
import org.unicom4j.retrieval.features.PrincipalComponents;

/**
 * What the first k-means runs on, standing in for Unicom's CLIP features (no pretrained model is on the
 * machine, and none may use labels): the raw pixels; the pixels centred, projected on their leading principal
 * axes and half-whitened (each component divided by the square root of its standard deviation); or HOG
 * descriptors of the pixels projected on their leading principal axes (which keeps their neighbour ranking and
 * makes k-means ten times cheaper than on the full descriptors). Each is fitted on the training images and
 * applies to any images.
 */
enum ClusterFeatures {
    PIXELS("raw pixels (784-d)"),
    PCA("pixels on their top " + ClusterFeatures.PCA_COMPONENTS + " principal axes, half-whitened"),
    HOG("HOG descriptors (" + HogFeatures.BINS + " orientations, " + HogFeatures.CELL + "x" + HogFeatures.CELL
            + " cells, 2x2 blocks, " + HogFeatures.dim(DemoSettings.IMAGE_SIZE) + "-d) projected on their top "
            + ClusterFeatures.PCA_COMPONENTS + " principal axes");

    static final int PCA_COMPONENTS = 128;
    /** PCA is fitted on at most this many training images: plenty for a 1296 x 1296 covariance. */
    static final int PCA_SAMPLE = 20_000;
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
            case PCA -> fitPca(backend, pixels, seed, PCA_WHITENING_POWER, v -> v);
            case HOG -> fitPca(backend, pixels, seed, 0, v -> HogFeatures.compute(v.data(), v.rows(),
                    (int) Math.round(Math.sqrt(v.dim()))));
        };
    }

    /** {@code base} then PCA fitted on the first training images' base features, components scaled by power. */
    private static UnaryOperator<Vectors> fitPca(Backend backend, Vectors pixels, long seed, double power,
                                                 UnaryOperator<Vectors> base) {
        int sample = Math.min(PCA_SAMPLE, pixels.rows());
        Vectors fitOn = base.apply(new Vectors(java.util.Arrays.copyOf(pixels.data(), sample * pixels.dim()), sample,
                pixels.dim()));
        PrincipalComponents pca = PrincipalComponents.fit(backend, fitOn, PCA_COMPONENTS, seed);
        System.out.printf(Locale.ROOT, "   PCA of %d-d features on %d images: %d components keep %.1f%% of the "
                + "variance%n", fitOn.dim(), sample, pca.components(), 100 * pca.keptVarianceFraction());
        return v -> pca.project(backend, base.apply(v), power);
    }
}
