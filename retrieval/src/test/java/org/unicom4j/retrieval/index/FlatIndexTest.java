package org.unicom4j.retrieval.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.kernels.Tolerance;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;

class FlatIndexTest {

    /** backend x (gallery, queries, dim, k, chunkRows, queryBatch): tails, k above size, many chunks. */
    static Stream<Arguments> cases() {
        int[][] shapes = {
                {1, 1, 1, 1, 1, 1}, {3, 2, 3, 5, 2, 1}, {17, 5, 17, 4, 5, 2}, {129, 33, 7, 10, 16, 8},
                {1000, 50, 33, 20, 128, 16}, {1031, 7, 129, 3, 1031, 512}};
        return TestBackends.names().flatMap(b -> Stream.of(shapes).flatMap(s -> Stream.of(Similarity.values())
                .map(sim -> Arguments.of(b, sim, s))));
    }

    /**
     * Small integer coordinates make every float32 score exact (norms expansion included), so the index must
     * return exactly the double-precision reference ranking, its many exact ties broken by the lower index even
     * when the tied items sit in different chunks.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void integerDataMatchesTheReferenceExactly(String backendName, Similarity sim, int[] shape) {
        Backend backend = TestBackends.get(backendName);
        int n = shape[0], nq = shape[1], d = shape[2], k = shape[3];
        Vectors gallery = integerVectors(1, n, d), queries = integerVectors(2, nq, d);
        Neighbours expected = new HostExactSearch().search(queries, gallery, k, sim);
        try (FlatIndex index = new FlatIndex(backend, d, sim, shape[4], shape[5])) {
            // two adds, so that a chunk is filled across calls
            index.add(new Vectors(java.util.Arrays.copyOf(gallery.data(), n / 2 * d), n / 2, d));
            index.add(new Vectors(java.util.Arrays.copyOfRange(gallery.data(), n / 2 * d, n * d), n - n / 2, d));
            Neighbours actual = index.search(queries, k);
            assertEquals(Math.min(k, n), actual.k());
            assertEquals(n, actual.candidates());
            assertArrayEquals(expected.indices(), actual.indices(), "indices");
            assertArrayEquals(expected.scores(), actual.scores(), "scores");
        }
    }

    /**
     * Gaussian data: float32 rounding can swap near-ties, so each returned neighbour's exact score must equal
     * the reference score at the same rank within the reduction tolerance.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void randomDataMatchesTheReferenceScores(String backendName, Similarity sim, int[] shape) {
        Backend backend = TestBackends.get(backendName);
        int n = shape[0], nq = shape[1], d = shape[2], k = shape[3];
        Vectors gallery = new Vectors(TestData.gaussian(3, n * d, 1.0), n, d);
        Vectors queries = new Vectors(TestData.gaussian(4, nq * d, 1.0), nq, d);
        Neighbours expected = new HostExactSearch().search(queries, gallery, k, sim);
        Neighbours actual;
        try (FlatIndex index = new FlatIndex(backend, d, sim, shape[4], shape[5])) {
            index.add(gallery);
            actual = index.search(queries, k);
        }
        double tol = Tolerance.forReduction(d) * 4;
        for (int q = 0; q < nq; q++) {
            for (int r = 0; r < actual.k(); r++) {
                double want = expected.score(q, r);
                double got = HostExactSearch.score(queries, q, gallery, actual.index(q, r), sim);
                double scale = 1 + Math.abs(want) + (sim == Similarity.SQUARED_L2 ? 2 * d : 0);
                if (Math.abs(got - want) > tol * scale || Math.abs(actual.score(q, r) - want) > tol * scale) {
                    fail("query " + q + " rank " + r + ": returned item " + actual.index(q, r) + " scores " + got
                            + " (kernel " + actual.score(q, r) + "), reference rank holds " + want);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void leaveOneOutDropsTheQueryItself(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors points = integerVectors(5, 300, 9);
        Neighbours expected = new HostExactSearch().searchLeaveOneOut(points, 7, Similarity.SQUARED_L2);
        Neighbours actual = new BackendExactSearch(backend).searchLeaveOneOut(points, 7, Similarity.SQUARED_L2);
        assertEquals(299, actual.candidates());
        assertArrayEquals(expected.indices(), actual.indices());
        for (int q = 0; q < 300; q++) {
            for (int r = 0; r < 7; r++) {
                if (actual.index(q, r) == q) {
                    fail("query " + q + " lists itself");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void badArgumentsAreRejected(String backendName) {
        Backend backend = TestBackends.get(backendName);
        try (FlatIndex index = new FlatIndex(backend, 4, Similarity.INNER_PRODUCT)) {
            assertThrows(IllegalArgumentException.class, () -> index.search(integerVectors(1, 2, 4), 1));
            assertThrows(IllegalArgumentException.class, () -> index.add(integerVectors(1, 2, 3)));
        }
    }

    /** Coordinates in {-3, ..., 3}: duplicates and exact score ties are frequent. */
    static Vectors integerVectors(long seed, int rows, int dim) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(7) - 3;
        }
        return new Vectors(x, rows, dim);
    }
}
