package org.unicom4j.retrieval.metrics;

import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Neighbours;

/**
 * mAP@R (Musgrave, Belongie, Lim, "A Metric Learning Reality Check", ECCV 2020): with R the number of relevant
 * gallery items of a query, AP@R = (1/R) sum_{i<=R} P@i * rel_i, averaged over the queries. A query with R = 0 has
 * no defined AP@R and is left out of the mean, as pytorch-metric-learning leaves out such "lone" queries.
 */
public final class MapAtR {
    private MapAtR() {
    }

    public static double compute(Neighbours rankings, Relevance relevance) {
        relevance.requireSameQueries("mAP@R", rankings);
        double sum = 0;
        int counted = 0;
        for (int q = 0; q < rankings.queries(); q++) {
            int r = relevance.relevantCount(q);
            if (r == 0) {
                continue;
            }
            if (rankings.k() < r) {
                throw new IllegalArgumentException("mAP@R: query " + q + " has R = " + r
                        + " relevant items, the rankings hold only " + rankings.k() + " neighbours");
            }
            int hits = 0;
            double ap = 0;
            for (int i = 0; i < r; i++) {
                if (relevance.isRelevant(q, rankings.index(q, i))) {
                    hits++;
                    ap += (double) hits / (i + 1);
                }
            }
            sum += ap / r;
            counted++;
        }
        if (counted == 0) {
            throw new InvalidInputException("mAP@R: no query has a relevant gallery item");
        }
        return sum / counted;
    }
}
