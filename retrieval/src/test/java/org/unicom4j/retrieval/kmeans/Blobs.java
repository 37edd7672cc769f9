package org.unicom4j.retrieval.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.unicom4j.retrieval.Vectors;

/** Gaussian blobs for k-means tests: centres far apart, points shuffled, with their true blob. */
record Blobs(Vectors points, int[] truth, Vectors centres) {

    /** {@code k} centres uniform in [-spread, spread]^dim, {@code perBlob} points of N(centre, std^2) each. */
    static Blobs make(long seed, int k, int perBlob, int dim, double spread, double std) {
        Random random = new Random(seed);
        float[] centres = new float[k * dim];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) ((random.nextDouble() * 2 - 1) * spread);
        }
        int n = k * perBlob;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[] x = new float[n * dim];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            int blob = order[i] / perBlob;
            truth[i] = blob;
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = (float) (centres[blob * dim + j] + random.nextGaussian() * std);
            }
        }
        return new Blobs(new Vectors(x, n, dim), truth, new Vectors(centres, k, dim));
    }

    /** Fails unless {@code labels} is the same partition as {@code truth} up to renaming the clusters. */
    static void assertSamePartition(int[] truth, int[] labels) {
        assertEquals(truth.length, labels.length);
        Map<Integer, Integer> forward = new HashMap<>(), backward = new HashMap<>();
        for (int i = 0; i < truth.length; i++) {
            Integer f = forward.putIfAbsent(truth[i], labels[i]);
            Integer b = backward.putIfAbsent(labels[i], truth[i]);
            if ((f != null && f != labels[i]) || (b != null && b != truth[i])) {
                fail("point " + i + " of blob " + truth[i] + " is in cluster " + labels[i]
                        + ", which does not match the partition so far");
            }
        }
    }
}
