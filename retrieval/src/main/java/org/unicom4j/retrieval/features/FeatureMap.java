package org.unicom4j.retrieval.features;

import org.unicom4j.retrieval.Vectors;

/**
 * A feature map fitted on training images: turns rows of pixels (single-channel square images, one image per
 * row) into rows of features, not yet L2-normalised. It applies to any images of the size it was fitted on.
 */
public interface FeatureMap {
    /** The features of the images in {@code pixels}. */
    Vectors apply(Vectors pixels);

    /** What the features are, for reports (e.g. "HOG descriptors (...) projected on their top 128 axes"). */
    String description();
}
