package org.unicom4j.retrieval.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.Initialization;
import org.unicom4j.retrieval.kmeans.KMeansConfig;

class IvfPqIndexTest {

    private static KMeansConfig config(int k, int iterations) {
        return KMeansConfig.of(k).withIterations(iterations).withInit(Initialization.KMEANS_PLUS_PLUS);
    }

    private static Vectors rows(Vectors v, int from, int to) {
        return new Vectors(Arrays.copyOfRange(v.data(), from * v.dim(), to * v.dim()), to - from, v.dim());
    }

    /**
     * Two cells of four points, the unit square's corners at (0, 0) and at (10, 10). Each residual coordinate is
     * +-1/2, so 2-D vectors in 2 subspaces of 2 centroids code every point exactly, and the distances can be
     * worked out by hand: from q = (0.9, 0.2) to (1, 0), (1, 1), (0, 0), (0, 1) they are 0.05, 0.65, 0.85, 1.45.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void twoSquaresByHand(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors data = new Vectors(new float[] {0, 0, 1, 0, 0, 1, 1, 1, 10, 10, 11, 10, 10, 11, 11, 11}, 8, 2);
        IvfPqIndex index = IvfPqIndex.train(backend, data, config(2, 10), 2, config(2, 10), line -> { });
        index.add(data);
        assertEquals(4, index.listSize(0));
        assertEquals(4, index.listSize(1));
        assertArrayEquals(data.data(), index.reconstruct().data(), 1e-5f);
        Vectors q = new Vectors(new float[] {0.9f, 0.2f}, 1, 2);

        Neighbours oneCell = index.search(q, 5, 1);
        assertArrayEquals(new int[] {1, 3, 0, 2, -1}, oneCell.indices());
        assertArrayEquals(new float[] {0.05f, 0.65f, 0.85f, 1.45f, Float.POSITIVE_INFINITY}, oneCell.scores(), 1e-4f);

        Neighbours both = index.search(q, 8, 2);
        assertArrayEquals(new int[] {1, 3, 0, 2, 4, 5, 6, 7}, both.indices());
        // (10, 10): 9.1^2 + 9.8^2, (11, 10): 10.1^2 + 9.8^2, (10, 11): 9.1^2 + 10.8^2, (11, 11): 10.1^2 + 10.8^2
        assertArrayEquals(new float[] {0.05f, 0.65f, 0.85f, 1.45f, 178.85f, 198.05f, 199.45f, 218.65f},
                both.scores(), 1e-3f);
    }

    /**
     * With every cell probed the search is a brute-force scan over what the index stores: its distances are the
     * squared L2 distances from the query to {@link IvfPqIndex#reconstruct()}, rank by rank.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void probingEveryCellRanksTheReconstructionsExactly(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors all = ClusteredVectors.make(21, 2030, 16, 12, 0.4, false);
        Vectors data = rows(all, 0, 2000), queries = rows(all, 2000, 2030);
        IvfPqIndex index = IvfPqIndex.train(backend, data, config(16, 10), 4, config(32, 10), line -> { });
        index.add(rows(data, 0, 1234));
        index.add(rows(data, 1234, 2000));
        Neighbours ivf = index.search(queries, 50, 16);
        Neighbours exact = new HostExactSearch().search(queries, index.reconstruct(), 50, Similarity.SQUARED_L2);
        Vectors recon = index.reconstruct();
        for (int q = 0; q < queries.rows(); q++) {
            for (int r = 0; r < 50; r++) {
                float want = exact.score(q, r);
                assertEquals(want, ivf.score(q, r), 1e-4 * (1 + want), "query " + q + " rank " + r);
                double own = HostExactSearch.score(queries, q, recon, ivf.index(q, r), Similarity.SQUARED_L2);
                assertEquals(own, ivf.score(q, r), 1e-4 * (1 + own), "query " + q + " rank " + r);
            }
        }
    }

    /**
     * Recall@10 (overlap with the exact top 10) on 32-d data of 10 blobs split into 64 cells, 8 x 256 PQ: it
     * grows with nprobe as neighbours across cell borders are reached and, with every cell probed, beats a plain
     * PQ of the same code size, since residuals are smaller than the vectors and quantise better. Observed on
     * cpu: 0.31, 0.56, 0.60, 0.60 for nprobe 1, 4, 16, 64 and 0.35 for plain PQ (opencl: within 0.02).
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void recallGrowsWithNprobeAndBeatsPlainPq(String backendName) {
        Backend backend = TestBackends.get(backendName);
        int n = 20000, nq = 200, k = 10;
        Vectors all = ClusteredVectors.make(5, n + nq, 32, 10, 0.35, false);
        Vectors data = rows(all, 0, n), queries = rows(all, n, n + nq);
        Neighbours exact = new HostExactSearch().search(queries, data, k, Similarity.SQUARED_L2);
        IvfPqIndex index = IvfPqIndex.train(backend, data, config(64, 10), 8, config(256, 10), line -> { });
        index.add(data);
        double[] recall = new double[4];
        int[] nprobes = {1, 4, 16, 64};
        for (int i = 0; i < nprobes.length; i++) {
            recall[i] = recall(index.search(queries, k, nprobes[i]), exact, k);
        }
        ProductQuantizer plain = ProductQuantizer.train(backend, data, 8, config(256, 10), line -> { });
        PqIndex pq = new PqIndex(backend, plain);
        pq.add(data);
        double plainRecall = recall(pq.searchAsymmetric(queries, k), exact, k);
        String seen = "recall@10 by nprobe " + Arrays.toString(recall) + ", plain pq " + plainRecall;
        for (int i = 1; i < recall.length; i++) {
            assertTrue(recall[i] >= recall[i - 1], seen);
        }
        assertTrue(recall[2] >= recall[0] + 0.15 && recall[3] >= 0.5, seen);
        assertTrue(recall[3] >= plainRecall + 0.1, seen);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void badInputIsRejected(String backendName) {
        Backend backend = TestBackends.get(backendName);
        Vectors data = ClusteredVectors.make(2, 300, 8, 4, 0.3, false);
        IvfPqIndex index = IvfPqIndex.train(backend, data, config(4, 5), 2, config(8, 5), line -> { });
        Vectors q = rows(data, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> index.search(q, 3, 2));
        index.add(data);
        assertThrows(IllegalArgumentException.class, () -> index.search(q, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> index.search(q, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> index.add(new Vectors(new float[12], 2, 6)));
        assertThrows(IllegalArgumentException.class, () -> IvfPqIndex.train(backend, data, config(4, 5), 3,
                config(8, 5), line -> { }));
        assertEquals(300, index.size());
    }

    private static double recall(Neighbours approx, Neighbours exact, int k) {
        int[][] found = new int[approx.queries()][];
        for (int q = 0; q < found.length; q++) {
            found[q] = approx.ranking(q);
        }
        return ClusteredVectors.recall(found, exact, k);
    }
}
