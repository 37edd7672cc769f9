package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Neighbours;

class HashingMapAtKTest {

    /**
     * Gallery labels [0, 1, 0, 1, 0, 1]; K = 3.
     * q0 (label 0) ranked [0, 1, 2, 4]: top 3 rel [1, 0, 1], R_K = 2, AP = (1/2)(1/1 + 2/3) = 5/6
     * (the hit at rank 4 is beyond K).
     * q1 (label 2): nothing relevant, AP = 0 and it still counts in the mean.
     * q2 (label 1) ranked [0, 1, 3, 5]: rel [0, 1, 1], AP = (1/2)(1/2 + 2/3) = 7/12.
     * mAP@3 = (5/6 + 0 + 7/12) / 3 = (10/12 + 7/12) / 3 = 17/36.
     */
    @Test
    void singleLabel() {
        Neighbours nb = Neighbours.ofRankings(new int[][] {{0, 1, 2, 4}, {0, 1, 2, 3}, {0, 1, 3, 5}}, 6);
        Relevance rel = ClassRelevance.queryGallery(new int[] {0, 2, 1}, new int[] {0, 1, 0, 1, 0, 1});
        assertEquals(17.0 / 36, HashingMapAtK.compute(nb, rel, 3), 1e-12);
    }

    /**
     * Multi-label: the query has labels {0, 2}; gallery g0 {1}, g1 {2}, g2 {0, 1}, g3 {1}. Sharing at least one
     * label makes g1 and g2 relevant. Ranking [0, 1, 2, 3], K = 4: rel [0, 1, 1, 0], R_K = 2,
     * AP = (1/2)(1/2 + 2/3) = 7/12.
     */
    @Test
    void multiLabelSharesAtLeastOneLabel() {
        int[] query = {1, 0, 1};
        int[] gallery = {0, 1, 0, /**/ 0, 0, 1, /**/ 1, 1, 0, /**/ 0, 1, 0};
        Relevance rel = MultiLabelRelevance.queryGallery(query, gallery, 3);
        Neighbours nb = Neighbours.ofRankings(new int[][] {{0, 1, 2, 3}}, 4);
        assertEquals(7.0 / 12, HashingMapAtK.compute(nb, rel, 4), 1e-12);
        assertEquals(2, rel.relevantCount(0));
    }

    /** Labels beyond 64 use a second bit word: labels {70} and {70, 3} share label 70. */
    @Test
    void multiLabelBeyondOneWord() {
        int[] query = new int[80];
        int[] gallery = new int[160];
        query[70] = 1;
        gallery[3] = 1;
        gallery[80 + 70] = 1;
        Relevance rel = MultiLabelRelevance.queryGallery(query, gallery, 80);
        assertEquals(false, rel.isRelevant(0, 0));
        assertEquals(true, rel.isRelevant(0, 1));
    }
}
