package org.unicom4j.spark.points;

/** What a k-means row is made of, as {@code unicom4j cluster} offers it. */
public enum RowFeature {
    /** The stored vector. */
    AS_STORED,
    /** The stored vector, L2-normalised ({@code cluster}'s default). */
    NORMALIZED,
    /** Unicom's joint feature: the mean of the image and the text vector, L2-normalised ({@code cluster --text}). */
    JOINT_IMAGE_TEXT
}
