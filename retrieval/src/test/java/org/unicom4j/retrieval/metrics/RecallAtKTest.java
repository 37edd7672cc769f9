package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.HostExactSearch;
import org.unicom4j.retrieval.index.Similarity;

class RecallAtKTest {
    private final HostExactSearch search = new HostExactSearch();

    /**
     * 1-D points x = [0, 1, 3, 4, 10], labels [0, 0, 1, 1, 0]. Leave-one-out rankings by squared distance:
     * q0 -> [1(d1), 2(9), 3(16), 4(100)] labels [0,1,1,0]: hit at 1.
     * q1 -> [0(1), 2(4), 3(9), 4(81)]    labels [0,1,1,0]: hit at 1.
     * q2 -> [3(1), 1(4), 0(9), 4(49)]    labels [1,0,0,0]: hit at 1.
     * q3 -> [2(1), 1(9), 0(16), 4(36)]   labels [1,0,0,0]: hit at 1.
     * q4 -> [3(36), 2(49), 1(81), 0(100)] labels [1,1,0,0]: first hit at 3.
     * Recall@1 = 4/5, Recall@2 = 4/5, Recall@3 = 5/5.
     */
    @Test
    void leaveOneOutOnALine() {
        Vectors x = new Vectors(new float[] {0, 1, 3, 4, 10}, 5, 1);
        int[] labels = {0, 0, 1, 1, 0};
        Neighbours nb = search.searchLeaveOneOut(x, 3, Similarity.SQUARED_L2);
        assertArrayEquals(new int[] {1, 2, 3}, nb.ranking(0));
        assertArrayEquals(new int[] {3, 2, 1}, nb.ranking(4));
        double[] recall = RecallAtK.compute(nb, ClassRelevance.leaveOneOut(labels), 1, 2, 3);
        assertArrayEquals(new double[] {0.8, 0.8, 1.0}, recall, 1e-12);
    }

    /**
     * x = [0, 1, -1, 2], labels [0, 1, 0, 1]: query 0 is at distance 1 from both item 1 (label 1) and item 2
     * (label 0). Ties go to the lower index, so its nearest neighbour is item 1, a miss. Likewise q1 (x = 1) is at
     * distance 1 from item 0 (label 0) and item 3 (label 1): item 0 first, a miss. q2 -> nearest 0 (d 1, label 0)
     * hit; q3 -> nearest 1 (d 1, label 1) hit. Recall@1 = 2/4; Recall@2 = 4/4 (the tied second neighbours hit).
     */
    @Test
    void tiesGoToTheLowerIndex() {
        Vectors x = new Vectors(new float[] {0, 1, -1, 2}, 4, 1);
        Neighbours nb = search.searchLeaveOneOut(x, 2, Similarity.SQUARED_L2);
        assertArrayEquals(new int[] {1, 2}, nb.ranking(0));
        assertArrayEquals(new int[] {0, 3}, nb.ranking(1));
        Relevance rel = ClassRelevance.leaveOneOut(new int[] {0, 1, 0, 1});
        assertEquals(0.5, RecallAtK.compute(nb, rel, 1), 1e-12);
        assertEquals(1.0, RecallAtK.compute(nb, rel, 2), 1e-12);
    }

    /**
     * Query/gallery (In-shop style): queries q0 = 0 (label 7), q1 = 5 (label 8); gallery [1, 4, 6] with labels
     * [8, 7, 8]. q0's gallery order by distance: 1 (d 1, label 8), 4 (16), 6 (36): first hit at rank 2.
     * q1's order: 4 (d 1, label 7), 6 (1, label 8; tie, higher index second), 1 (16): first hit at rank 2.
     * Recall@1 = 0, Recall@2 = 1.
     */
    @Test
    void queryGallery() {
        Vectors queries = new Vectors(new float[] {0, 5}, 2, 1);
        Vectors gallery = new Vectors(new float[] {1, 4, 6}, 3, 1);
        Neighbours nb = search.search(queries, gallery, 3, Similarity.SQUARED_L2);
        assertArrayEquals(new int[] {1, 2, 0}, nb.ranking(1));
        Relevance rel = ClassRelevance.queryGallery(new int[] {7, 8}, new int[] {8, 7, 8});
        assertArrayEquals(new double[] {0, 1}, RecallAtK.compute(nb, rel, 1, 2), 1e-12);
    }

    @Test
    void tooShallowRankingsAreRejected() {
        Neighbours nb = Neighbours.ofRankings(new int[][] {{1}}, 5);
        Relevance rel = ClassRelevance.queryGallery(new int[] {0}, new int[] {0, 0, 0, 0, 0});
        assertThrows(IllegalArgumentException.class, () -> RecallAtK.compute(nb, rel, 2));
    }
}
