package org.unicom4j.retrieval.kmeans;

import org.unicom4j.retrieval.Vectors;

/**
 * The outcome of a k-means run.
 *
 * @param centroids  [k x dim] final centroids
 * @param labels     nearest final centroid of each point
 * @param objectives sum of squared distances of the points to their assigned centroid, one entry per assignment
 *                   pass: entry 0 against the initial centroids, entry t after t Lloyd updates; the last entry
 *                   belongs to {@code labels} and {@code centroids}
 * @param reseeded   empty clusters re-seeded after each update
 */
public record KMeansResult(Vectors centroids, int[] labels, double[] objectives, int[] reseeded) {

    /** Lloyd updates performed. */
    public int iterations() {
        return objectives.length - 1;
    }

    /** The objective of the final labels and centroids. */
    public double objective() {
        return objectives[objectives.length - 1];
    }
}
