package org.unicom4j.retrieval.metrics;

import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Neighbours;

/**
 * mMP@5, the Google Universal Image Embedding Challenge (Kaggle, 2022) metric: for a query with n_q relevant index
 * items, MP@5 = (relevant items among the first min(n_q, 5) results) / min(n_q, 5), averaged over the queries.
 * The challenge ranks by Euclidean distance on embeddings of at most 64 dimensions; every challenge query has
 * n_q >= 1, so a query with n_q = 0 (undefined) is left out of the mean.
 */
public final class MmpAt5 {
    private MmpAt5() {
    }

    public static double compute(Neighbours rankings, Relevance relevance) {
        relevance.requireSameQueries("mMP@5", rankings);
        rankings.requireDepth("mMP@5", 5);
        double sum = 0;
        int counted = 0;
        for (int q = 0; q < rankings.queries(); q++) {
            int n = Math.min(relevance.relevantCount(q), 5);
            if (n == 0) {
                continue;
            }
            int hits = 0;
            for (int r = 0; r < n; r++) {
                if (relevance.isRelevant(q, rankings.index(q, r))) {
                    hits++;
                }
            }
            sum += (double) hits / n;
            counted++;
        }
        if (counted == 0) {
            throw new InvalidInputException("mMP@5: no query has a relevant index item");
        }
        return sum / counted;
    }
}
