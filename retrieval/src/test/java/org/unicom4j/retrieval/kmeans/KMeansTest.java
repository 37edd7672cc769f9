package org.unicom4j.retrieval.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.retrieval.Vectors;

class KMeansTest {

    /** 7 blobs in 12-D, centres spread over [-10, 10] and point noise 0.05: k-means++ must find them exactly. */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void kMeansPlusPlusRecoversSeparatedBlobs(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Blobs blobs = Blobs.make(11, 7, 30, 12, 10, 0.05);
        for (long seed = 1; seed <= 3; seed++) {
            KMeansConfig config = KMeansConfig.of(7).withSeed(seed).withInit(Initialization.KMEANS_PLUS_PLUS)
                    .withChunks(50, 3, 16);
            KMeansResult result = new KMeans(backend, config, line -> { }).fit(blobs.points());
            Blobs.assertSamePartition(blobs.truth(), result.labels());
            // each centroid is its blob's mean, within the noise of 30 samples of std 0.05
            for (int c = 0; c < 7; c++) {
                int blob = blobs.truth()[indexOfLabel(result.labels(), c)];
                for (int j = 0; j < 12; j++) {
                    assertEquals(blobs.centres().data()[blob * 12 + j], result.centroids().data()[c * 12 + j], 0.05);
                }
            }
        }
    }

    /** Overlapping random data, random-sample init: every pass must not raise the objective (float slack 1e-6). */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void objectiveNeverIncreases(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors points = new Vectors(TestData.gaussian(5, 2003 * 16, 1.0), 2003, 16);
        List<String> lines = new ArrayList<>();
        KMeansResult result = new KMeans(backend, KMeansConfig.of(20).withIterations(15).withChunks(300, 7, 64),
                lines::add).fit(points);
        double[] obj = result.objectives();
        assertTrue(obj.length >= 2, "at least one update");
        for (int t = 1; t < obj.length; t++) {
            assertTrue(obj[t] <= obj[t - 1] * (1 + 1e-6), "objective rose at pass " + t + ": " + obj[t - 1]
                    + " -> " + obj[t]);
        }
        assertTrue(obj[obj.length - 1] < obj[0] * 0.9, "Lloyd iterations should improve on random seeds");
        assertTrue(lines.stream().anyMatch(l -> l.contains("objective")), "progress lines: " + lines);
        // the reported final objective is that of the returned labels and centroids
        assertEquals(objectiveOf(points, result.centroids(), result.labels()), result.objective(),
                1e-4 * result.objective());
    }

    /**
     * 300 copies of A = (0, 0), then B = (10, 0) and C = (0, 10); k = 3 with random-sample init. The sample
     * (seed 1234) holds at least two copies of A (any other draw has probability 6 / (302 * 301)), so duplicate
     * centroids leave a cluster empty (ties go to the lower centroid). The empty clusters take the farthest
     * points, B and/or C, and the next pass is the exact partition {A...}, {B}, {C} with objective 0.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void emptyClustersAreReseededWithTheFarthestPoints(String backendName) {
        Backend backend = TestBackends.get(backendName);
        float[] x = new float[302 * 2];
        x[300 * 2] = 10;
        x[301 * 2 + 1] = 10;
        List<String> lines = new ArrayList<>();
        KMeansResult result = new KMeans(backend, KMeansConfig.of(3), lines::add).fit(new Vectors(x, 302, 2));
        assertTrue(result.reseeded()[0] >= 1, "re-seeded: " + java.util.Arrays.toString(result.reseeded()));
        assertEquals(0.0, result.objective());
        int a = result.labels()[0], b = result.labels()[300], c = result.labels()[301];
        assertTrue(a != b && b != c && a != c, "A, B and C in three clusters: " + a + ", " + b + ", " + c);
        assertTrue(lines.stream().anyMatch(l -> l.contains("re-seeded")), "progress lines: " + lines);
    }

    /** All points equal: the empty cluster finds no point at distance > 0 and keeps its centroid; run settles. */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void emptyClusterWithoutCandidatesKeepsItsCentroid(String backendName) {
        Backend backend = TestBackends.get(backendName);
        float[] x = {1, 2, 1, 2, 1, 2, 1, 2};
        KMeansResult result = new KMeans(backend, KMeansConfig.of(2), line -> { }).fit(new Vectors(x, 4, 2));
        assertArrayEquals(new int[] {0, 0, 0, 0}, result.labels());
        assertArrayEquals(new float[] {1, 2, 1, 2}, result.centroids().data());
        assertEquals(0, result.reseeded()[0]);
        assertEquals(2, result.objectives().length, "one update, then a pass with no change ends the run");
    }

    /**
     * Against plain double-precision Lloyd from the same initial centroids, on moderately separated blobs:
     * the same labels, centroids within float rounding. Run twice to check the result is reproducible.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void matchesReferenceLloyd(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Blobs blobs = Blobs.make(21, 6, 80, 10, 3, 0.8);
        KMeansConfig config = KMeansConfig.of(6).withSeed(77).withIterations(30).withChunks(64, 4, 8);
        KMeansResult result = new KMeans(backend, config, line -> { }).fit(blobs.points());
        Vectors initial = PointRows.gather(blobs.points(),
                DistinctSample.draw(blobs.points().rows(), 6, new SplittableRandom(77)));
        ReferenceLloyd reference = new ReferenceLloyd(blobs.points(), initial, 30);
        assertArrayEquals(reference.labels, result.labels());
        for (int i = 0; i < reference.centroids.length; i++) {
            assertEquals(reference.centroids[i], result.centroids().data()[i], 1e-5);
        }
        KMeansResult again = new KMeans(backend, config, line -> { }).fit(blobs.points());
        assertArrayEquals(result.labels(), again.labels());
        assertArrayEquals(result.centroids().data(), again.centroids().data());
    }

    /** Every backend gives the cpu backend's labels on the same run (and centroids within float rounding). */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void backendsAgreeWithCpu(String backendName) {
        Blobs blobs = Blobs.make(31, 9, 50, 24, 2, 0.7);
        KMeansConfig config = KMeansConfig.of(9).withIterations(10).withChunks(128, 5, 32);
        KMeansResult cpu = new KMeans(TestBackends.get("cpu"), config, line -> { }).fit(blobs.points());
        KMeansResult other = new KMeans(TestBackends.get(backendName), config, line -> { }).fit(blobs.points());
        assertArrayEquals(cpu.labels(), other.labels());
        assertArrayEquals(cpu.centroids().data(), other.centroids().data(), 1e-5f);
    }

    @Test
    void fewerPointsThanClustersIsRejected() {
        Vectors x = new Vectors(new float[] {1, 2, 3}, 3, 1);
        var e = assertThrows(InvalidInputException.class, // k against the user's data, e.g. cluster -k
                () -> new KMeans(TestBackends.get("cpu"), KMeansConfig.of(4), line -> { }).fit(x));
        assertEquals("k-means: 3 points for k = 4; expected k <= points < 2^31", e.getMessage());
    }

    @Test
    void distinctSampleIsDistinctSortedAndInRange() {
        long[] s = DistinctSample.draw(1000, 200, new SplittableRandom(3));
        assertEquals(200, s.length);
        for (int i = 1; i < s.length; i++) {
            assertTrue(s[i] > s[i - 1]);
        }
        assertTrue(s[0] >= 0 && s[199] < 1000);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, DistinctSample.draw(5, 5, new SplittableRandom(9)));
    }

    private static int indexOfLabel(int[] labels, int c) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                return i;
            }
        }
        throw new AssertionError("cluster " + c + " is empty");
    }

    private static double objectiveOf(Vectors x, Vectors c, int[] labels) {
        double sum = 0;
        int d = x.dim();
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < d; j++) {
                double diff = x.data()[i * d + j] - c.data()[labels[i] * d + j];
                sum += diff * diff;
            }
        }
        return sum;
    }
}
