package org.unicom4j.retrieval.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.Initialization;
import org.unicom4j.retrieval.kmeans.KMeansConfig;

class ProductQuantizerTest {

    /**
     * Every 2-D sub-vector is one of 8 integer patterns, so k-means++ with 8 centroids (it never draws a point at
     * distance 0 from a chosen centroid) finds the patterns themselves: codes are lossless, decode gives the data
     * back bit for bit, and ADC ranks exactly as exact search does, ties included.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void losslessWhenTheDataIsTheCodebook(String backendName) {
        Backend backend = TestBackends.get(backendName);
        SplittableRandom random = new SplittableRandom(4);
        int n = 400, d = 8, m = 4;
        float[][] patterns = new float[m][16];
        for (int s = 0; s < m; s++) {
            for (int p = 0; p < 8; p++) { // distinct points (p, (3p + s) mod 8)
                patterns[s][2 * p] = p;
                patterns[s][2 * p + 1] = (3 * p + s) % 8;
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < m; s++) {
                int p = random.nextInt(8);
                x[i * d + 2 * s] = patterns[s][2 * p];
                x[i * d + 2 * s + 1] = patterns[s][2 * p + 1];
            }
        }
        Vectors data = new Vectors(x, n, d);
        ProductQuantizer pq = ProductQuantizer.train(backend, data, m,
                KMeansConfig.of(8).withInit(Initialization.KMEANS_PLUS_PLUS), line -> { });
        PqIndex index = new PqIndex(backend, pq);
        index.add(data);
        assertArrayEquals(x, pq.decode(index.codes()).data());
        Vectors queries = new Vectors(java.util.Arrays.copyOf(x, 20 * d), 20, d);
        Neighbours exact = new HostExactSearch().search(queries, data, 15, Similarity.SQUARED_L2);
        Neighbours adc = index.searchAsymmetric(queries, 15);
        assertArrayEquals(exact.indices(), adc.indices());
        assertArrayEquals(exact.scores(), adc.scores());
        assertArrayEquals(exact.indices(), index.searchSymmetric(queries, 15).indices());
    }

    /**
     * ADC distance = ||q - decode(code)||^2 and SDC distance = ||decode(encode(q)) - decode(code)||^2, per pair,
     * on random data with 16 centroids per subspace.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void tableDistancesEqualDistancesToReconstructions(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors data = new Vectors(TestData.gaussian(8, 500 * 12, 1.0), 500, 12);
        Vectors queries = new Vectors(TestData.gaussian(9, 7 * 12, 1.0), 7, 12);
        ProductQuantizer pq = ProductQuantizer.train(backend, data, 3, KMeansConfig.of(16).withIterations(10),
                line -> { });
        PqIndex index = new PqIndex(backend, pq);
        index.add(data);
        Vectors recon = pq.decode(index.codes());
        Vectors queryRecon = pq.decode(pq.encode(backend, queries));
        Neighbours adc = index.searchAsymmetric(queries, 500);
        Neighbours sdc = index.searchSymmetric(queries, 500);
        for (int q = 0; q < 7; q++) {
            for (int r = 0; r < 500; r += 37) {
                int i = adc.index(q, r);
                assertEquals(HostExactSearch.score(queries, q, recon, i, Similarity.SQUARED_L2), adc.score(q, r),
                        1e-4 * (1 + adc.score(q, r)));
                int j = sdc.index(q, r);
                assertEquals(HostExactSearch.score(queryRecon, q, recon, j, Similarity.SQUARED_L2), sdc.score(q, r),
                        1e-4 * (1 + sdc.score(q, r)));
            }
        }
    }

    /**
     * Recall@R (is the true nearest neighbour among the first R by PQ distance) on Gaussian data, 32-D in 8
     * subspaces of 64 centroids. Observed on cpu: ADC R@1 0.275, R@10 0.805, R@100 0.995;
     * SDC R@10 0.580. The bounds leave a
     * margin; ADC must not be worse than SDC (the query is not quantised).
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void recallAgainstExactSearch(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors data = new Vectors(TestData.gaussian(10, 3000 * 32, 1.0), 3000, 32);
        Vectors queries = new Vectors(TestData.gaussian(11, 200 * 32, 1.0), 200, 32);
        ProductQuantizer pq = ProductQuantizer.train(backend, data, 8, KMeansConfig.of(64).withIterations(15),
                line -> { });
        PqIndex index = new PqIndex(backend, pq);
        index.add(data);
        Neighbours exact = new HostExactSearch().search(queries, data, 1, Similarity.SQUARED_L2);
        Neighbours adc = index.searchAsymmetric(queries, 100);
        Neighbours sdc = index.searchSymmetric(queries, 100);
        double adc1 = recall(exact, adc, 1), adc10 = recall(exact, adc, 10), adc100 = recall(exact, adc, 100);
        double sdc10 = recall(exact, sdc, 10);
        assertTrue(adc1 >= 0.18, "ADC R@1 " + adc1);
        assertTrue(adc10 >= 0.65, "ADC R@10 " + adc10);
        assertTrue(adc100 >= 0.95, "ADC R@100 " + adc100);
        assertTrue(adc10 >= sdc10, "ADC R@10 " + adc10 + " below SDC " + sdc10);
    }

    /** Adding in batches of 1, 17 and the rest stores and ranks exactly as one add. */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void batchedAddsEqualOneAdd(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors data = new Vectors(TestData.gaussian(12, 300 * 8, 1.0), 300, 8);
        ProductQuantizer pq = ProductQuantizer.train(backend, data, 2, KMeansConfig.of(16).withIterations(5),
                line -> { });
        PqIndex whole = new PqIndex(backend, pq), batched = new PqIndex(backend, pq);
        whole.add(data);
        int[] cuts = {0, 1, 18, 300};
        for (int c = 0; c + 1 < cuts.length; c++) {
            batched.add(new Vectors(java.util.Arrays.copyOfRange(data.data(), cuts[c] * 8, cuts[c + 1] * 8),
                    cuts[c + 1] - cuts[c], 8));
        }
        assertEquals(300, batched.size());
        assertArrayEquals(whole.codes(), batched.codes());
        Vectors queries = new Vectors(java.util.Arrays.copyOf(data.data(), 5 * 8), 5, 8);
        assertArrayEquals(whole.searchAsymmetric(queries, 20).indices(), batched.searchAsymmetric(queries, 20).indices());
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void badShapesAreRejected(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors data = new Vectors(new float[300 * 10], 300, 10);
        assertThrows(IllegalArgumentException.class,
                () -> ProductQuantizer.train(backend, data, 3, KMeansConfig.of(4), line -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> ProductQuantizer.train(backend, data, 5, KMeansConfig.of(257), line -> { }));
    }

    /** Fraction of queries whose exact nearest neighbour is among the first r of {@code approx}. */
    private static double recall(Neighbours exact, Neighbours approx, int r) {
        int hits = 0;
        for (int q = 0; q < exact.queries(); q++) {
            for (int i = 0; i < r; i++) {
                if (approx.index(q, i) == exact.index(q, 0)) {
                    hits++;
                    break;
                }
            }
        }
        return (double) hits / exact.queries();
    }
}
