package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Neighbours;

class MapAt100Test {

    /**
     * Index labels [0, 0, 1, 1, 1, 2] (6 images, so the full ranking is shorter than 100).
     * q0 (label 0, |GT| = 2) ranked [2, 0, 3, 1, 4, 5]: rel [0, 1, 0, 1, 0, 0],
     * AP = (1/2)(1/2 + 2/4) = 1/2.
     * q1 (label 1, |GT| = 3) ranked [2, 0, 1, 5, 3, 4]: rel [1, 0, 0, 0, 1, 1],
     * AP = (1/3)(1/1 + 2/5 + 3/6) = (1/3)(19/10) = 19/30.
     * mAP@100 = (15/30 + 19/30) / 2 = 17/30.
     */
    @Test
    void shortRankings() {
        Neighbours nb = Neighbours.ofRankings(new int[][] {{2, 0, 3, 1, 4, 5}, {2, 0, 1, 5, 3, 4}}, 6);
        Relevance rel = ClassRelevance.queryGallery(new int[] {0, 1}, new int[] {0, 0, 1, 1, 1, 2});
        assertEquals(17.0 / 30, MapAt100.compute(nb, rel), 1e-12);
    }

    /**
     * The normaliser is min(|GT|, 100): 150 relevant images of which the top 100 are all ranked first gives
     * AP = (1/100) * sum_{k<=100} (k/k) * 1 = 1 (mAP@R would give 100/150 here). A query whose first 100
     * results hold no relevant image scores 0. mAP@100 = (1 + 0) / 2.
     */
    @Test
    void normaliserIsCappedAt100() {
        int[] labels = IntStream.range(0, 200).map(i -> i < 150 ? 0 : 1).toArray();
        int[] first100 = IntStream.range(0, 100).toArray();
        int[] noHits = IntStream.range(0, 100).map(i -> (i + 100) % 150).toArray(); // items 100..149, 0..49
        Neighbours nb = Neighbours.ofRankings(new int[][] {first100, noHits}, 200);
        Relevance rel = ClassRelevance.queryGallery(new int[] {0, 1}, labels);
        assertEquals(0.5, MapAt100.compute(nb, rel), 1e-12);
    }
}
