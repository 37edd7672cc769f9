package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.BackendExactSearch;
import org.unicom4j.retrieval.index.KnnSearch;

/**
 * mMP@5, mAP@100 and k-NN classification as {@link RetrievalEvaluation} runs them (search + metric), leave-one-out
 * and queries against an index, on hand-worked cases where the distance each protocol uses (raw Euclidean, or
 * Euclidean / cosine after L2 normalisation) decides the result.
 */
class BenchmarkProtocolsTest {
    /** 1-D points 0, 1, 3, 3.5, 10, 11 with labels a a b b a b (a = 0, b = 1). */
    private static final Vectors LINE = new Vectors(new float[] {0, 1, 3, 3.5f, 10, 11}, 6, 1);
    private static final int[] LINE_LABELS = {0, 0, 1, 1, 0, 1};
    /** Points at 0, 10, 21, 30 and 40 degrees with radii 1, 5, 1, 1, 3 and labels a b a b a. */
    private static final Vectors CIRCLE = circle(new double[] {0, 10, 21, 30, 40}, new double[] {1, 5, 1, 1, 3});
    private static final int[] CIRCLE_LABELS = {0, 1, 0, 1, 0};

    private static KnnSearch search(String name) {
        return new BackendExactSearch(TestBackends.get(name));
    }

    /**
     * Leave-one-out on raw distances, n_q = 2 for everyone so MP@5 looks at the first 2 neighbours:
     * q0 [1 a, 2 b] 1/2; q1 [0 a, 2 b] 1/2; q2 [3 b, 1 a] 1/2; q3 [2 b, 1 a] 1/2; q4 [5 b, 3 b] 0; q5 [4 a, 3 b]
     * 1/2; mMP@5 = 2.5 / 6 = 5/12. (Normalised, the 1-D points would all be 1 and tie.)
     * Queries 0.9 (b) and 10.4 (a) against the six, n_q = 3: q0 [1 a, 0 a, 2 b] 1/3; q1 [4 a, 5 b, 3 b] 1/3.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void mmpAt5RanksTheRawEmbeddings(String name) {
        assertEquals(5.0 / 12, RetrievalEvaluation.mmpAt5(search(name), null, null, LINE, LINE_LABELS), 1e-12);
        Vectors queries = new Vectors(new float[] {0.9f, 10.4f}, 2, 1);
        assertEquals(1.0 / 3, RetrievalEvaluation.mmpAt5(search(name), queries, new int[] {1, 0}, LINE,
                LINE_LABELS), 1e-12);
    }

    /**
     * Leave-one-out by angle (the radii vanish in the normalisation):
     * q0 (0) [10 b, 21 a, 30 b, 40 a] rel 0101, |GT| 2: (1/2)(1/2 + 2/4) = 1/2;
     * q1 (10) [0, 21, 30, 40] rel 0010, |GT| 1: 1/3; q2 (21) [30, 10, 40, 0] rel 0011: (1/2)(1/3 + 2/4) = 5/12;
     * q3 (30) [21, 40, 10, 0] rel 0010: 1/3; q4 (40) [30, 21, 10, 0] rel 0101: 1/2. mAP@100 = 25/12 / 5 = 5/12.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void mapAt100RanksNormalisedEmbeddings(String name) {
        assertEquals(5.0 / 12, RetrievalEvaluation.mapAt100(search(name), null, null, CIRCLE, CIRCLE_LABELS), 1e-6);
    }

    /**
     * Queries at 12 degrees (a) and 36 degrees (a) against the circle, by cosine:
     * q0 ranks [10 b (2 deg), 21 a (9), 0 a (12), ...]: k = 1 votes b, a miss; k = 3 weighs a by
     * e^(cos 9/0.07) + e^(cos 12/0.07) = (0.846 + 0.738) e^(cos 2/0.07) against b's 1: a hit.
     * q1 ranks [40 a (4), 30 b (6), 21 a (15), ...]: a at k = 1 and k = 3. Top-1 = 1/2 at k = 1, 1 at k = 3; top-5
     * is 1 (two classes).
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void knnVotesByCosine(String name) {
        Vectors queries = circle(new double[] {12, 36}, new double[] {2, 0.5});
        KnnClassification.Accuracy[] acc = RetrievalEvaluation.knn(search(name), queries, new int[] {0, 0}, CIRCLE,
                CIRCLE_LABELS, 1, 3);
        assertEquals(0.5, acc[0].top1(), 1e-12);
        assertEquals(1.0, acc[1].top1(), 1e-12);
        assertEquals(1.0, acc[0].top5(), 1e-12);
    }

    /**
     * Leave-one-out k-NN with k = 1 on the line, by cosine: the points 1 .. 11 normalise to 1 (cosine 1 with each
     * other) and the point 0 stays 0 (cosine 0 with everything), so ties go to the lower index: q0 <- 1 (a) hit;
     * q1 <- 2 (b) miss; q2, q3, q5 <- 1 (a) miss; q4 <- 1 (a) hit. Top-1 = 2/6 (by raw distance it would be 4/6).
     * A k above the other points (10 > 5) votes with all of them.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void knnLeaveOneOutUsesCosineTiesByIndex(String name) {
        KnnClassification.Accuracy[] acc = RetrievalEvaluation.knn(search(name), null, null, LINE, LINE_LABELS, 1, 10);
        assertEquals(2.0 / 6, acc[0].top1(), 1e-12);
        assertEquals(1.0, acc[1].top5(), 1e-12);
    }

    private static Vectors circle(double[] degrees, double[] radii) {
        float[] v = new float[2 * degrees.length];
        for (int i = 0; i < degrees.length; i++) {
            v[2 * i] = (float) (radii[i] * Math.cos(Math.toRadians(degrees[i])));
            v[2 * i + 1] = (float) (radii[i] * Math.sin(Math.toRadians(degrees[i])));
        }
        return new Vectors(v, degrees.length, 2);
    }
}
