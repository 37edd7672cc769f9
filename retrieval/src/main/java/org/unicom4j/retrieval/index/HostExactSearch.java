package org.unicom4j.retrieval.index;

import java.util.stream.IntStream;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;

/**
 * Brute-force search on the host in double precision: each score is computed directly (sum of products or of
 * squared differences, no norms trick), so it is the reference the backend searches are tested against and a
 * deterministic ranker for small evaluation sets. O(queries x gallery x dim); queries run in parallel.
 */
public final class HostExactSearch implements KnnSearch {

    @Override
    public Neighbours search(Vectors queries, Vectors gallery, int k, Similarity similarity) {
        if (queries.dim() != gallery.dim()) {
            throw new IllegalArgumentException("exact search: queries have dim " + queries.dim()
                    + ", gallery has dim " + gallery.dim());
        }
        if (k <= 0) {
            throw new IllegalArgumentException("exact search: k = " + k + ", expected k > 0");
        }
        int n = gallery.rows(), kk = Math.min(k, n), nq = queries.rows();
        int[] indices = new int[nq * kk];
        float[] scores = new float[nq * kk];
        boolean larger = similarity.higherIsBetter();
        IntStream.range(0, nq).parallel().forEach(q -> {
            double[] s = new double[n];
            for (int g = 0; g < n; g++) {
                s[g] = score(queries, q, gallery, g, similarity);
            }
            int[] best = BestIndices.select(s, kk, larger);
            for (int r = 0; r < kk; r++) {
                indices[q * kk + r] = best[r];
                scores[q * kk + r] = (float) s[best[r]];
            }
        });
        return new Neighbours(nq, kk, n, indices, scores, larger);
    }

    static double score(Vectors a, int i, Vectors b, int j, Similarity similarity) {
        float[] x = a.data(), y = b.data();
        int d = a.dim(), xo = i * d, yo = j * d;
        double sum = 0;
        for (int t = 0; t < d; t++) {
            if (similarity == Similarity.INNER_PRODUCT) {
                sum += (double) x[xo + t] * y[yo + t];
            } else {
                double diff = (double) x[xo + t] - y[yo + t];
                sum += diff * diff;
            }
        }
        return sum;
    }
}
