package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.BackendExactSearch;

class RetrievalEvaluationTest {

    /**
     * Points (x, 0) with x = [1, 2, 4, 5, 11], labels [0, 0, 1, 1, 0]. L2 normalisation maps every point to
     * (1, 0), so all distances tie at 0 and each ranking is the other points in index order:
     * q0 -> [1, 2, 3, 4] labels (0, 1, 1, 0); q1 -> [0, 2, 3, 4] (0, 1, 1, 0); q2 -> [0, 1, 3, 4] (0, 0, 1, 0);
     * q3 -> [0, 1, 2, 4] (0, 0, 1, 0); q4 -> [0, 1, 2, 3] (0, 0, 1, 1).
     * Recall@1: q0, q1, q4 hit -> 3/5; Recall@3: q2 and q3 hit at rank 3 -> 5/5.
     * mAP@R (R = 2 for class 0, 1 for class 1): q0 rel [1, 0] -> 1/2; q1 [1, 0] -> 1/2; q2 [0] -> 0;
     * q3 [0] -> 0; q4 [1, 1] -> 1. Mean = 2/5. (Unnormalised, x would rank by position instead.)
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void normalisationMakesCollinearPointsTie(String backendName) {
        Vectors x = new Vectors(new float[] {1, 0, 2, 0, 4, 0, 5, 0, 11, 0}, 5, 2);
        RetrievalEvaluation.Scores s = RetrievalEvaluation.leaveOneOut(
                new BackendExactSearch(TestBackends.get(backendName)), x, new int[] {0, 0, 1, 1, 0}, 2, 1, 3);
        assertArrayEquals(new double[] {0.6, 1.0}, s.recall(), 1e-12);
        assertEquals(0.4, s.mapAtR(), 1e-12);
    }
}
