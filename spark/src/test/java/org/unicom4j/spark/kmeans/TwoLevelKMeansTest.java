package org.unicom4j.spark.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.spark.TestSpark;
import org.unicom4j.spark.points.PointBlock;
import org.unicom4j.spark.points.PointBlocks;

/** The two-level scheme: labels and centroids belong together, and its objective is close to flat k-means'. */
class TwoLevelKMeansTest {

    @Test
    void labelsCentroidsAndObjectiveAgreeAndStayNearFlatKMeans() throws Exception {
        int n = 3000, d = 6, k = 60;
        float[] x = DistributedKMeansTest.blobs(n, d, 25, 41);
        KMeansConfig config = KMeansConfig.of(k).withIterations(8);
        List<PointBlock> blocks = List.of(block(x, 0, 1100, d), block(x, 1100, 1000, d), block(x, 2100, 900, d));
        try (PointBlocks points = PointBlocks.fromBlocks(TestSpark.context(), blocks, 3)) {
            TwoLevelKMeans.Result two = new TwoLevelKMeans(config, 6, "cpu", line -> { }).fit(points);
            double flat;
            try (DistributedKMeansResult f = new DistributedKMeans(config, "cpu", line -> { }).fit(points)) {
                flat = f.objective();
            }
            assertEquals(k, two.centroids().rows());
            int[] sizes = new int[k];
            for (int label : two.labels()) {
                sizes[label]++;
            }
            for (int c = 0; c < k; c++) {
                assertTrue(sizes[c] > 0, "cluster " + c + " is empty");
            }
            assertEquals(objective(x, d, two.labels(), two.centroids()), two.objective(), 1e-4 * two.objective());
            // Each row only sees its cell's centroids: a little worse than flat, never far off on blobs.
            assertTrue(two.objective() < 1.2 * flat, "two-level " + two.objective() + " vs flat " + flat);
            assertTrue(two.coarseObjective() > two.objective(), "6 cells fit worse than 60 clusters");
        }
    }

    private static PointBlock block(float[] x, int first, int rows, int d) {
        long[] ids = new long[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = first + i;
        }
        return new PointBlock(ids, java.util.Arrays.copyOfRange(x, first * d, (first + rows) * d), d);
    }

    private static double objective(float[] x, int d, int[] labels, Vectors centroids) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < d; j++) {
                double diff = x[i * d + j] - centroids.data()[labels[i] * d + j];
                sum += diff * diff;
            }
        }
        return sum;
    }
}
