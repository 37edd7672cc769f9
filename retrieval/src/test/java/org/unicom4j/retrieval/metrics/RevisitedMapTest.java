package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Neighbours;

/**
 * Query 0 ranks the database as [5, 2, 7, 0, 3, 1, 6, 4] with easy {2, 3}, hard {0}, junk {7}.
 * AP adds, for the j-th positive (0-based) at junk-free rank r, (P_before + P_at) / (2 * #positives) with
 * P_before = j / r (1 when r = 0) and P_at = (j + 1) / (r + 1). (Checked against revisitop's compute_ap.)
 *
 * <p>Medium: positives {2, 3, 0}, junk {7}; without 7 the ranking is [5, 2, 0, 3, 1, 6, 4], positives at ranks
 * 1, 2, 3: (0 + 1/2)/6 + (1/2 + 2/3)/6 + (2/3 + 3/4)/6 = 6/72 + 14/72 + 17/72 = 37/72.
 * Easy: positives {2, 3}, junk {7, 0}; ranking [5, 2, 3, 1, 6, 4], positives at ranks 1, 2:
 * (0 + 1/2)/4 + (1/2 + 2/3)/4 = 3/24 + 7/24 = 5/12.
 * Hard: positives {0}, junk {7, 2, 3}; ranking [5, 0, 1, 6, 4], positive at rank 1: (0 + 1/2)/2 = 1/4.
 *
 * <p>Query 1 ranks [2, 4, 1, 3, 0, 5, 6, 7] with easy {2}, no hard, no junk: the positive at rank 0 gives
 * (1 + 1)/2 = 1 under Easy and Medium; under Hard it has no positive and is left out.
 */
class RevisitedMapTest {
    private static final Neighbours RANKINGS = Neighbours.ofRankings(new int[][] {
            {5, 2, 7, 0, 3, 1, 6, 4}, {2, 4, 1, 3, 0, 5, 6, 7}}, 8);
    private static final List<RevisitedQuery> GROUND_TRUTH = List.of(
            new RevisitedQuery(new int[] {2, 3}, new int[] {0}, new int[] {7}, null),
            new RevisitedQuery(new int[] {2}, new int[0], new int[0], new double[] {0, 0, 10, 10}));

    @Test
    void singleQueryUnderEachProtocol() {
        int[] ranking = RANKINGS.ranking(0);
        RevisitedQuery q = GROUND_TRUTH.get(0);
        assertEquals(37.0 / 72, ap(ranking, q, RevisitedProtocol.MEDIUM), 1e-12);
        assertEquals(5.0 / 12, ap(ranking, q, RevisitedProtocol.EASY), 1e-12);
        assertEquals(1.0 / 4, ap(ranking, q, RevisitedProtocol.HARD), 1e-12);
    }

    @Test
    void meanOverQueriesSkipsQueriesWithoutPositives() {
        assertEquals((37.0 / 72 + 1) / 2, RevisitedMap.compute(RANKINGS, GROUND_TRUTH, RevisitedProtocol.MEDIUM),
                1e-12);
        assertEquals((5.0 / 12 + 1) / 2, RevisitedMap.compute(RANKINGS, GROUND_TRUTH, RevisitedProtocol.EASY),
                1e-12);
        assertEquals(1.0 / 4, RevisitedMap.compute(RANKINGS, GROUND_TRUTH, RevisitedProtocol.HARD), 1e-12);
    }

    private static double ap(int[] ranking, RevisitedQuery q, RevisitedProtocol p) {
        return RevisitedMap.averagePrecision(ranking, p.positives(q), p.junk(q));
    }
}
