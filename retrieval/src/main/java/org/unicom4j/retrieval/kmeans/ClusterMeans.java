package org.unicom4j.retrieval.kmeans;

/**
 * Per-cluster means accumulated point by point as running means, mean += (x - mean) / count, in float: the value
 * held never grows beyond the data's scale, so no double-precision sums of k x dim are needed (k = 10^6 centroids
 * of 768 floats already take 3 GiB). The result depends on the order points arrive in, which is fixed.
 */
final class ClusterMeans {
    private final int k;
    private final int dim;
    private final float[] means;
    private final long[] counts;

    ClusterMeans(int k, int dim) {
        this.k = k;
        this.dim = dim;
        this.means = new float[Math.multiplyExact(k, dim)];
        this.counts = new long[k];
    }

    /** Adds {@code x[offset .. offset + dim)} to cluster c. */
    void add(int c, float[] x, int offset) {
        long n = ++counts[c];
        float inv = (float) (1.0 / n);
        int base = c * dim;
        for (int j = 0; j < dim; j++) {
            means[base + j] += (x[offset + j] - means[base + j]) * inv;
        }
    }

    long count(int c) {
        return counts[c];
    }

    int k() {
        return k;
    }

    /** The mean of cluster c copied into {@code dst[c * dim ..]}; the cluster must be non-empty. */
    void copyMean(int c, float[] dst) {
        System.arraycopy(means, c * dim, dst, c * dim, dim);
    }
}
