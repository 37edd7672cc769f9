package org.unicom4j.retrieval.metrics;

import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Neighbours;

/**
 * mAP@100 of the Google Landmarks v2 retrieval challenge (Kaggle): AP = (1 / min(|GT|, 100)) sum_{k<=100} P@k *
 * rel_k with GT the query's relevant index images, averaged over the queries. Queries without any relevant index
 * image are ignored, as the challenge ignores queries that depict no index landmark.
 */
public final class MapAt100 {
    private static final int DEPTH = 100;

    private MapAt100() {
    }

    public static double compute(Neighbours rankings, Relevance relevance) {
        relevance.requireSameQueries("mAP@100", rankings);
        rankings.requireDepth("mAP@100", DEPTH);
        int depth = Math.min(DEPTH, rankings.k());
        double sum = 0;
        int counted = 0;
        for (int q = 0; q < rankings.queries(); q++) {
            int gt = relevance.relevantCount(q);
            if (gt == 0) {
                continue;
            }
            int hits = 0;
            double ap = 0;
            for (int k = 0; k < depth; k++) {
                if (relevance.isRelevant(q, rankings.index(q, k))) {
                    hits++;
                    ap += (double) hits / (k + 1);
                }
            }
            sum += ap / Math.min(gt, DEPTH);
            counted++;
        }
        if (counted == 0) {
            throw new InvalidInputException("mAP@100: no query has a relevant index image");
        }
        return sum / counted;
    }
}
