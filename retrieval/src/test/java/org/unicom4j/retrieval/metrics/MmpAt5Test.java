package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Neighbours;

class MmpAt5Test {

    /**
     * Index labels [0, 0, 1, 1, 1, 1, 1, 1, 1, 2]: class 0 has 2 items, class 1 has 7, class 2 has 1.
     * q0 (label 0, n_q = 2) ranked [2, 0, 1, 3, 4]: look at min(2, 5) = 2 results, rel [0, 1] -> 1/2
     * (the hit at rank 3 is beyond n_q).
     * q1 (label 1, n_q = 7) ranked [2, 0, 3, 4, 1]: min(7, 5) = 5 results, rel [1, 0, 1, 1, 0] -> 3/5.
     * q2 (label 5, n_q = 0) is left out.
     * mMP@5 = (1/2 + 3/5) / 2 = 0.55.
     */
    @Test
    void precisionOverTheFirstMinNq5() {
        Neighbours nb = Neighbours.ofRankings(new int[][] {
                {2, 0, 1, 3, 4}, {2, 0, 3, 4, 1}, {0, 1, 2, 3, 4}}, 10);
        Relevance rel = ClassRelevance.queryGallery(new int[] {0, 1, 5}, new int[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 2});
        assertEquals(0.55, MmpAt5.compute(nb, rel), 1e-12);
    }
}
