package org.unicom4j.retrieval.features;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;

/**
 * Label-free features to cluster images into pseudo-classes when no pretrained model is at hand (Unicom clusters
 * CLIP features; none may use labels): the raw pixels; the pixels centred, projected on their leading principal
 * axes and scaled per component; or HOG descriptors projected on their leading principal axes (which keeps their
 * neighbour ranking and makes k-means ten times cheaper than on the full descriptors).
 */
public enum HandMadeFeatures {
    PIXELS, PCA, HOG;

    /** The features named {@code name} (pixels, pca or hog, any case). */
    public static HandMadeFeatures parse(String name) {
        for (HandMadeFeatures f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("features must be pixels, pca or hog, got " + name);
    }

    /** The lower-case name, as configs spell it. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The map fitted on {@code pixels} [rows, dim] (square single-channel images for hog; any rows, e.g. cached
     * features, for pixels and pca): PCA (for pca and hog) is fitted on the first
     * {@code sample} rows with {@code components} axes, and component c is divided by variance_c^(whitening/2)
     * (0 keeps the variances, 1 whitens, 0.5 divides by the square root of the standard deviation).
     */
    public FeatureMap fit(Backend backend, Vectors pixels, int components, int sample, double whitening,
                          long seed) {
        int size = (int) Math.round(Math.sqrt(pixels.dim()));
        if (this == HOG && size * size != pixels.dim()) {
            throw new IllegalArgumentException("hand-made features: rows of " + pixels.dim()
                    + " pixels are not square single-channel images");
        }
        return switch (this) {
            case PIXELS -> map("raw pixels (" + pixels.dim() + "-d)", v -> v);
            case PCA -> fitPca(backend, pixels, components, sample, whitening, seed, "pixels", v -> v);
            case HOG -> fitPca(backend, pixels, components, sample, whitening, seed, "HOG descriptors ("
                    + HogFeatures.BINS + " orientations, " + HogFeatures.CELL + "x" + HogFeatures.CELL
                    + " cells, 2x2 blocks, " + HogFeatures.dim(size) + "-d)",
                    v -> HogFeatures.compute(v.data(), v.rows(), size));
        };
    }

    /** {@code base} then PCA fitted on the first {@code sample} rows' base features. */
    private static FeatureMap fitPca(Backend backend, Vectors pixels, int components, int sample, double whitening,
                                     long seed, String baseName, UnaryOperator<Vectors> base) {
        int n = Math.min(sample, pixels.rows());
        Vectors fitOn = base.apply(new Vectors(Arrays.copyOf(pixels.data(), n * pixels.dim()), n, pixels.dim()));
        PrincipalComponents pca = PrincipalComponents.fit(backend, fitOn, components, seed);
        String description = String.format(Locale.ROOT, "%s projected on their top %d principal axes%s (fitted on "
                + "%d images, keeping %.1f%% of the variance)", baseName, components, whitening == 0 ? ""
                : whitening == 0.5 ? ", half-whitened" : ", whitened to power " + whitening, n,
                100 * pca.keptVarianceFraction());
        return map(description, v -> pca.project(backend, base.apply(v), whitening));
    }

    private static FeatureMap map(String description, UnaryOperator<Vectors> apply) {
        return new FeatureMap() {
            @Override
            public Vectors apply(Vectors pixels) {
                return apply.apply(pixels);
            }

            @Override
            public String description() {
                return description;
            }
        };
    }
}
