package org.unicom4j.retrieval.metrics;

import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Neighbours;

/**
 * mAP@K as the deep-hashing / quantisation papers compute it (SPQ, SSCQ, MeCoQ): keep the top K of the ranked
 * database, R_K = relevant items among them, AP = (1/R_K) sum_{j<=K} rel_j * (hits up to j) / j, AP = 0 when
 * R_K = 0, averaged over all queries. CIFAR-10 uses K = 1000, FLICKR25K and NUS-WIDE K = 5000 (multi-label:
 * see {@link MultiLabelRelevance}).
 */
public final class HashingMapAtK {
    private HashingMapAtK() {
    }

    public static double compute(Neighbours rankings, Relevance relevance, int k) {
        String name = "mAP@" + k;
        if (k <= 0) {
            throw new IllegalArgumentException("mAP@K: K = " + k + ", expected K > 0");
        }
        relevance.requireSameQueries(name, rankings);
        rankings.requireDepth(name, k);
        if (rankings.queries() == 0) {
            throw new InvalidInputException(name + ": no queries");
        }
        int depth = Math.min(k, rankings.k());
        boolean[] relevant = new boolean[depth];
        double sum = 0;
        for (int q = 0; q < rankings.queries(); q++) {
            for (int j = 0; j < depth; j++) {
                relevant[j] = relevance.isRelevant(q, rankings.index(q, j));
            }
            sum += averagePrecision(relevant, depth);
        }
        return sum / rankings.queries();
    }

    /**
     * One query's AP over the first {@code depth} ranks: (1/R_K) sum_j rel_j * (hits up to j) / j, 0 when none of
     * them is relevant.
     */
    static double averagePrecision(boolean[] relevantByRank, int depth) {
        int hits = 0;
        double ap = 0;
        for (int j = 0; j < depth; j++) {
            if (relevantByRank[j]) {
                hits++;
                ap += (double) hits / (j + 1);
            }
        }
        return hits == 0 ? 0 : ap / hits;
    }
}
