package org.unicom4j.retrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.HostExactSearch;
import org.unicom4j.retrieval.index.Similarity;

class HashingEvaluationTest {
    @TempDir
    Path dir;

    /**
     * 1-d database x = 1..6 (rows 0..5), labels [0, 1, 0, 1, 0, 1]; query A = 0 (label 0), query B = 3.4 (label 1).
     * A ranks [0, 1, 2, 3, 4, 5]: rel [1, 0, 1, 0, 1, 0]. B ranks [2, 3, 1, 4, 0, 5] (distances 0.16, 0.36, 1.96,
     * 2.56, 5.76, 6.76): labels [0, 1, 1, 0, 0, 1], rel [0, 1, 1, 0, 0, 1].
     * mAP@3: A (1/1 + 2/3) / 2 = 5/6, B (1/2 + 2/3) / 2 = 7/12, mean 17/24.
     * P@1: A 1, B 0 -> 0.5; P@2: 1/2 both; P@4: 2/4 both.
     * Curve (3 relevant each): rank 1: p (1 + 0) / 2, r (1/3 + 0) / 2; rank 3: p 2/3, r 2/3; rank 6: p 1/2, r 1.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void handComputedCase(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors database = new Vectors(new float[] {1, 2, 3, 4, 5, 6}, 6, 1);
        Vectors queries = new Vectors(new float[] {0, 3.4f}, 2, 1);
        try (ExactDistanceRows rows = new ExactDistanceRows(backend, queries, database)) {
            HashingScores s = HashingEvaluation.evaluate("toy", rows, new int[] {0, 1}, new int[] {0, 1, 0, 1, 0, 1},
                    3, new int[] {1, 2, 4}, new int[] {6, 1, 3});
            assertEquals(17.0 / 24, s.map(), 1e-12);
            assertArrayEquals(new double[] {0.5, 0.5, 0.5}, s.precisionAt(), 1e-12);
            assertArrayEquals(new int[] {1, 3, 6}, s.curveCutoffs());
            assertArrayEquals(new double[] {0.5, 2.0 / 3, 0.5}, s.curvePrecision(), 1e-12);
            assertArrayEquals(new double[] {1.0 / 6, 2.0 / 3, 1.0}, s.curveRecall(), 1e-12);
        }
    }

    /**
     * Equal distances rank the lower database row first: rows 0 (label 1) and 1 (label 0) are both at distance 1
     * from the query (label 0), so the relevant item is second: AP@2 = (1/2) / 1.
     */
    @Test
    void tiesGoToTheLowerRow() {
        Backend backend = TestBackends.get("cpu");
        try (ExactDistanceRows rows = new ExactDistanceRows(backend, new Vectors(new float[] {0}, 1, 1),
                new Vectors(new float[] {1, -1}, 2, 1))) {
            HashingScores s = HashingEvaluation.evaluate("ties", rows, new int[] {0}, new int[] {1, 0}, 2,
                    new int[] {1}, new int[] {2});
            assertEquals(0.5, s.map(), 1e-12);
            assertArrayEquals(new double[] {0.0}, s.precisionAt());
        }
    }

    /** The same mAP@K as {@link HashingMapAtK} over a top-K search, on random data with several classes. */
    @Test
    void agreesWithMapAtKOnTopKRankings() {
        Backend backend = TestBackends.get("cpu");
        Vectors database = new Vectors(TestData.gaussian(3, 500 * 8, 1.0), 500, 8);
        Vectors queries = new Vectors(TestData.gaussian(4, 40 * 8, 1.0), 40, 8);
        int[] dbLabels = new int[500], qLabels = new int[40];
        for (int i = 0; i < 500; i++) {
            dbLabels[i] = database.data()[i * 8] > 0 ? (database.data()[i * 8 + 1] > 0 ? 1 : 2) : 3;
        }
        for (int i = 0; i < 40; i++) {
            qLabels[i] = queries.data()[i * 8] > 0 ? (queries.data()[i * 8 + 1] > 0 ? 1 : 2) : 3;
        }
        double expected = HashingMapAtK.compute(
                new HostExactSearch().search(queries, database, 50, Similarity.SQUARED_L2),
                ClassRelevance.queryGallery(qLabels, dbLabels), 50);
        try (ExactDistanceRows rows = new ExactDistanceRows(backend, queries, database)) {
            HashingScores s = HashingEvaluation.evaluate("random", rows, qLabels, dbLabels, 50, new int[] {10},
                    new int[] {500});
            assertEquals(expected, s.map(), 1e-9);
            assertEquals(1.0, s.curveRecall()[0], 1e-12);
        }
    }

    /**
     * Against a plain reference (rows sorted by (distance, row) with a comparator, then the definitions) on distances
     * with negatives, many ties, infinities and -0.0, over several query blocks.
     */
    @Test
    void agreesWithASortedReferenceOnAnyDistances() {
        int nq = 70, n = 301;
        SplittableRandom random = new SplittableRandom(9);
        float[][] d = new float[nq][n];
        int[] dbLabels = new int[n], qLabels = new int[nq];
        for (int i = 0; i < n; i++) {
            dbLabels[i] = random.nextInt(4);
        }
        for (int q = 0; q < nq; q++) {
            qLabels[q] = random.nextInt(5);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(10);
                d[q][i] = kind == 0 ? Float.POSITIVE_INFINITY : kind == 1 ? -0.0f : kind == 2 ? 0.0f
                        : (random.nextInt(40) - 4) * 0.5f;
            }
        }
        DistanceRows rows = new DistanceRows() {
            public int queries() {
                return nq;
            }

            public int databaseSize() {
                return n;
            }

            public int preferredBlock() {
                return 16;
            }

            public void distances(int first, int count, float[] out) {
                for (int r = 0; r < count; r++) {
                    System.arraycopy(d[first + r], 0, out, r * n, n);
                }
            }
        };
        int[] cuts = {1, 7, 50, 301};
        HashingScores s = HashingEvaluation.evaluate("any", rows, qLabels, dbLabels, 40, cuts, cuts);
        double map = 0;
        double[] precision = new double[cuts.length], recall = new double[cuts.length];
        for (int q = 0; q < nq; q++) {
            float[] row = d[q];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> row[a] != row[b] ? Float.compare(row[a], row[b]) : a - b);
            int relevantTotal = 0;
            for (int label : dbLabels) {
                relevantTotal += label == qLabels[q] ? 1 : 0;
            }
            int hits = 0;
            double ap = 0;
            for (int j = 0; j < n; j++) {
                boolean rel = dbLabels[order[j]] == qLabels[q];
                hits += rel ? 1 : 0;
                if (rel && j < 40) {
                    ap += (double) hits / (j + 1);
                }
                if (j == 39) {
                    map += hits == 0 ? 0 : ap / hits;
                }
                for (int c = 0; c < cuts.length; c++) {
                    if (j + 1 == cuts[c]) {
                        precision[c] += (double) hits / cuts[c];
                        recall[c] += relevantTotal == 0 ? 0 : (double) hits / relevantTotal;
                    }
                }
            }
        }
        assertEquals(map / nq, s.map(), 1e-12);
        for (int c = 0; c < cuts.length; c++) {
            assertEquals(precision[c] / nq, s.precisionAt()[c], 1e-12);
            assertEquals(precision[c] / nq, s.curvePrecision()[c], 1e-12);
            assertEquals(recall[c] / nq, s.curveRecall()[c], 1e-12);
        }
    }

    @Test
    void defaultCurveReachesTheWholeDatabase() {
        assertArrayEquals(new int[] {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000,
            9000, 10000, 11000, 12000, 13000, 14000, 15000, 16000, 17000, 18000, 19000, 20000},
                HashingEvaluation.defaultCurveCutoffs(20000));
    }

    /** The JSON holds each result's numbers under named keys, and the PNG is a picture of the requested size. */
    @Test
    void reportFiles() throws IOException {
        HashingScores a = new HashingScores("PQ 32 bits", 1000, 0.7, new int[] {100}, new double[] {0.8},
                new int[] {1, 10}, new double[] {1.0, 0.9}, new double[] {0.001, 0.01}, 10, 60);
        HashingReport.write(dir, "Fashion-MNIST", Map.of("protocol", "hashing"), List.of(a));
        JsonNode json = new ObjectMapper().readTree(dir.resolve(HashingReport.JSON).toFile());
        assertEquals("hashing", json.get("protocol").asText());
        JsonNode r = json.get("results").get(0);
        assertEquals(0.7, r.get("mAP@1000").asDouble());
        assertEquals(0.8, r.get("precision_at").get("P@100").asDouble());
        assertEquals(0.9, r.get("precision_recall").get("precision").get(1).asDouble());
        BufferedImage png = ImageIO.read(dir.resolve(HashingReport.CURVE_PNG).toFile());
        assertEquals(720, png.getWidth());
        assertEquals(520, png.getHeight());
        assertEquals("""
                            mAP@1000    P@100
                PQ 32 bits    0.7000   0.8000
                """, HashingReport.table(List.of(a)));
    }
}
