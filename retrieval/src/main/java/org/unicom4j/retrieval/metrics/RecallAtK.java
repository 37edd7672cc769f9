package org.unicom4j.retrieval.metrics;

import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Neighbours;

/**
 * Recall@K in the metric-learning convention: the fraction of queries whose K nearest neighbours contain at least
 * one relevant item. Every query counts, including one with no relevant item in the gallery (it scores 0); in a
 * leave-one-out set the rankings must already exclude the query itself.
 */
public final class RecallAtK {
    private RecallAtK() {
    }

    public static double compute(Neighbours rankings, Relevance relevance, int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("Recall@K: K = " + k + ", expected K > 0");
        }
        relevance.requireSameQueries("Recall@" + k, rankings);
        rankings.requireDepth("Recall@" + k, k);
        if (rankings.queries() == 0) {
            throw new InvalidInputException("Recall@" + k + ": no queries");
        }
        int depth = Math.min(k, rankings.k());
        int hits = 0;
        for (int q = 0; q < rankings.queries(); q++) {
            for (int r = 0; r < depth; r++) {
                if (relevance.isRelevant(q, rankings.index(q, r))) {
                    hits++;
                    break;
                }
            }
        }
        return (double) hits / rankings.queries();
    }

    /** Recall at each of {@code ks}. */
    public static double[] compute(Neighbours rankings, Relevance relevance, int... ks) {
        double[] out = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            out[i] = compute(rankings, relevance, ks[i]);
        }
        return out;
    }
}
