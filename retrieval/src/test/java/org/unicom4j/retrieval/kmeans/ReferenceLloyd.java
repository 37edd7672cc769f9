package org.unicom4j.retrieval.kmeans;

import java.util.Arrays;
import org.unicom4j.retrieval.Vectors;

/**
 * Plain Lloyd iterations in double precision, for comparison: exact squared distances, nearest centroid with
 * ties to the lower index, means of the assigned points; the same stopping rule as {@link KMeans} (a pass that
 * changes no label) and no empty-cluster handling (the test data must not produce empty clusters).
 */
final class ReferenceLloyd {
    final int[] labels;
    final double[] centroids;

    ReferenceLloyd(Vectors points, Vectors initial, int maxUpdates) {
        int n = points.rows(), k = initial.rows(), d = points.dim();
        double[] c = new double[k * d];
        for (int i = 0; i < c.length; i++) {
            c[i] = initial.data()[i];
        }
        int[] lab = new int[n];
        Arrays.fill(lab, -1);
        for (int t = 0; ; t++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestDist = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double dist = 0;
                    for (int e = 0; e < d; e++) {
                        double diff = points.data()[i * d + e] - c[j * d + e];
                        dist += diff * diff;
                    }
                    if (dist < bestDist) {
                        bestDist = dist;
                        best = j;
                    }
                }
                changed |= lab[i] != best;
                lab[i] = best;
            }
            if (t == maxUpdates || !changed) {
                break;
            }
            double[] sum = new double[k * d];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[lab[i]]++;
                for (int e = 0; e < d; e++) {
                    sum[lab[i] * d + e] += points.data()[i * d + e];
                }
            }
            for (int j = 0; j < k; j++) {
                if (count[j] == 0) {
                    throw new IllegalStateException("reference Lloyd: cluster " + j + " is empty");
                }
                for (int e = 0; e < d; e++) {
                    c[j * d + e] = sum[j * d + e] / count[j];
                }
            }
        }
        this.labels = lab;
        this.centroids = c;
    }
}
