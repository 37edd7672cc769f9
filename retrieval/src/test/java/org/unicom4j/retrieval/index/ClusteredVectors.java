package org.unicom4j.retrieval.index;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;

/**
 * Synthetic embeddings with structure: points scattered around random centres, optionally L2-normalised, the
 * kind of data on which approximate indexes (IVF, PQ, HNSW) are meant to work and against which their recall is
 * measured.
 */
public final class ClusteredVectors {
    private ClusteredVectors() {
    }

    /**
     * {@code rows} points, each a uniformly chosen one of {@code clusters} N(0, 1) centres plus N(0, std^2) noise
     * per coordinate, normalised to unit length when {@code unit}.
     */
    public static Vectors make(long seed, int rows, int dim, int clusters, double std, boolean unit) {
        Random random = new Random(seed);
        float[] centres = new float[clusters * dim];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) random.nextGaussian();
        }
        float[] x = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            int c = random.nextInt(clusters);
            double sq = 0;
            for (int j = 0; j < dim; j++) {
                float v = (float) (centres[c * dim + j] + random.nextGaussian() * std);
                x[i * dim + j] = v;
                sq += (double) v * v;
            }
            if (unit) {
                float inv = (float) (1 / Math.sqrt(sq));
                for (int j = 0; j < dim; j++) {
                    x[i * dim + j] *= inv;
                }
            }
        }
        return new Vectors(x, rows, dim);
    }

    /** Mean over queries of |approximate top-k ∩ exact top-k| / k. */
    public static double recall(int[][] approximate, Neighbours exact, int k) {
        long found = 0;
        for (int q = 0; q < approximate.length; q++) {
            Set<Integer> truth = new HashSet<>();
            for (int r = 0; r < k; r++) {
                truth.add(exact.index(q, r));
            }
            for (int r = 0; r < Math.min(k, approximate[q].length); r++) {
                if (truth.contains(approximate[q][r])) {
                    found++;
                }
            }
        }
        return (double) found / ((long) approximate.length * k);
    }
}
