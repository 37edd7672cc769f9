package org.unicom4j.retrieval.kmeans;

/** How the first centroids are chosen (both seeded, so a run is reproducible). */
public enum Initialization {
    /** k distinct points drawn uniformly (FAISS's default); cheap at any k. */
    RANDOM_SAMPLE,
    /**
     * k-means++ (Arthur and Vassilvitskii 2007): each next centroid drawn with probability proportional to the
     * squared distance to the nearest centroid so far. Runs on a uniform sample of the points held in memory
     * ({@link KMeansConfig#initSample()}); k sequential steps, so meant for k up to a few thousand.
     */
    KMEANS_PLUS_PLUS
}
