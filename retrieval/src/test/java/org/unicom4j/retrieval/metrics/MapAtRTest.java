package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.HostExactSearch;
import org.unicom4j.retrieval.index.Similarity;

class MapAtRTest {

    /**
     * The line of RecallAtKTest: x = [0, 1, 3, 4, 10], labels [0, 0, 1, 1, 0]; class 0 = {0, 1, 4}, class 1 =
     * {2, 3}, so R = 2 for queries of class 0 and R = 1 for class 1.
     * q0: top 2 = [1, 2], rel [1, 0] -> (1/2)(1/1) = 1/2.   q1: [0, 2], rel [1, 0] -> 1/2.
     * q2: top 1 = [3], rel [1] -> 1.                         q3: [2] -> 1.
     * q4: top 2 = [3, 2], rel [0, 0] -> 0.
     * mAP@R = (1/2 + 1/2 + 1 + 1 + 0) / 5 = 3/5.
     */
    @Test
    void leaveOneOutOnALine() {
        Vectors x = new Vectors(new float[] {0, 1, 3, 4, 10}, 5, 1);
        Neighbours nb = new HostExactSearch().searchLeaveOneOut(x, 4, Similarity.SQUARED_L2);
        assertEquals(0.6, MapAtR.compute(nb, ClassRelevance.leaveOneOut(new int[] {0, 0, 1, 1, 0})), 1e-12);
    }

    /**
     * Precision at each hit counts. Gallery labels [0, 1, 0, 0, 1, 2]: class 0 has R = 3.
     * Query (label 0) ranking [1, 0, 2, 3, ...]: rel within the first R = 3 is [0, 1, 1], so
     * AP@R = (1/3)(1/2 + 2/3) = (1/3)(7/6) = 7/18; the hit at rank 4 is beyond R and does not count.
     * A second query of label 2 (R = 1) ranked [5, ...] scores 1; a third of label 9 has R = 0 and is left out.
     * mAP@R = (7/18 + 1) / 2 = 25/36.
     */
    @Test
    void precisionAtEachHitWithinR() {
        Neighbours nb = Neighbours.ofRankings(new int[][] {
                {1, 0, 2, 3, 4, 5}, {5, 0, 1, 2, 3, 4}, {0, 1, 2, 3, 4, 5}}, 6);
        Relevance rel = ClassRelevance.queryGallery(new int[] {0, 2, 9}, new int[] {0, 1, 0, 0, 1, 2});
        assertEquals(25.0 / 36, MapAtR.compute(nb, rel), 1e-12);
    }

    @Test
    void rankingsShorterThanRAreRejected() {
        Neighbours nb = Neighbours.ofRankings(new int[][] {{0, 1}}, 4);
        Relevance rel = ClassRelevance.queryGallery(new int[] {0}, new int[] {0, 0, 0, 1});
        assertThrows(IllegalArgumentException.class, () -> MapAtR.compute(nb, rel));
    }
}
