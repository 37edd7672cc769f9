package org.unicom4j.retrieval.kmeans;

/**
 * Settings of a k-means run.
 *
 * @param k             number of clusters
 * @param iterations    maximum Lloyd updates (the run stops earlier when an assignment pass changes nothing)
 * @param seed          seed of every random choice
 * @param init          how the first centroids are chosen
 * @param initSample    points sampled for k-means++ (at least k)
 * @param pointChunk    points read from the source and assigned per step
 * @param centroidChunk centroids per device chunk in the assignment search
 * @param queryBatch    points scored together against one centroid chunk (the score matrix is
 *                      queryBatch x centroidChunk floats)
 */
public record KMeansConfig(int k, int iterations, long seed, Initialization init, int initSample, int pointChunk,
                           int centroidChunk, int queryBatch) {

    public KMeansConfig {
        if (k <= 0 || iterations < 0 || initSample < k || pointChunk <= 0 || centroidChunk <= 0 || queryBatch <= 0) {
            throw new IllegalArgumentException("k-means config: k = " + k + ", iterations = " + iterations
                    + ", initSample = " + initSample + ", pointChunk = " + pointChunk + ", centroidChunk = "
                    + centroidChunk + ", queryBatch = " + queryBatch
                    + "; expected k > 0, iterations >= 0, initSample >= k and positive chunk sizes");
        }
    }

    /**
     * Defaults: 25 iterations (FAISS's default), seed 1234, random-sample initialisation, k-means++ sample of
     * max(64 k, 65536) points, chunks of 65536 points, 32768 centroids, query batches of 512.
     */
    public static KMeansConfig of(int k) {
        return new KMeansConfig(k, 25, 1234, Initialization.RANDOM_SAMPLE, (int) Math.min(Integer.MAX_VALUE,
                Math.max(64L * k, 65536)), 65536, 32768, 512);
    }

    public KMeansConfig withIterations(int n) {
        return new KMeansConfig(k, n, seed, init, initSample, pointChunk, centroidChunk, queryBatch);
    }

    public KMeansConfig withSeed(long s) {
        return new KMeansConfig(k, iterations, s, init, initSample, pointChunk, centroidChunk, queryBatch);
    }

    public KMeansConfig withInit(Initialization i) {
        return new KMeansConfig(k, iterations, seed, i, initSample, pointChunk, centroidChunk, queryBatch);
    }

    public KMeansConfig withInitSample(int n) {
        return new KMeansConfig(k, iterations, seed, init, n, pointChunk, centroidChunk, queryBatch);
    }

    /** Chunk sizes of the assignment search. */
    public KMeansConfig withChunks(int points, int centroids, int batch) {
        return new KMeansConfig(k, iterations, seed, init, initSample, points, centroids, batch);
    }
}
