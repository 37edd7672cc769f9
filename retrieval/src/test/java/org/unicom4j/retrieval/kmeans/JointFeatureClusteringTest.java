package org.unicom4j.retrieval.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.data.npy.NpyDtype;
import org.unicom4j.kernels.TestBackends;

class JointFeatureClusteringTest {

    /** image (3, 4) and text (5, 0): mean (4, 2), norm sqrt(20), joint (4, 2) / sqrt(20) = (0.894427, 0.447214). */
    @Test
    void jointFeatureIsTheNormalisedMean(@TempDir Path dir) throws IOException {
        Path image = dir.resolve("img.npy"), text = dir.resolve("txt.npy");
        NpyArray.ofFloatsAsHalf(new float[] {3, 4, 0, 0}, 2, 2).write(image);
        NpyArray.ofFloats(new float[] {5, 0, 0, 0}, 2, 2).write(text);
        try (JointImageTextPoints points = JointImageTextPoints.open(image, text)) {
            float[] row = new float[4];
            points.read(0, 2, row);
            assertArrayEquals(new float[] {0.894427f, 0.447214f, 0, 0}, row, 1e-6f);
        }
    }

    @Test
    void mismatchedShardsAreRejected(@TempDir Path dir) throws IOException {
        Path image = dir.resolve("img.npy"), text = dir.resolve("txt.npy");
        NpyArray.ofFloats(new float[6], 3, 2).write(image);
        NpyArray.ofFloats(new float[4], 2, 2).write(text);
        var e = assertThrows(InvalidInputException.class,
                () -> JointImageTextPoints.open(image, text));
        assertEquals(true, e.getMessage().contains("[2, 2]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    /**
     * 5 topics, 40 pairs each in 16-D; a pair's image and text embeddings are the topic direction plus
     * independent noise (float16 image shard, float32 text shard, as LAION and a converted shard would be). The
     * pseudo-labels must be the topics; the files must read back with the right dtypes and shapes.
     */
    @Test
    void clustersPairsIntoTheirTopics(@TempDir Path dir) throws IOException {
        int topics = 5, per = 40, d = 16, n = topics * per;
        Random random = new Random(3);
        float[] dirs = new float[topics * d];
        for (int i = 0; i < dirs.length; i++) {
            dirs[i] = (float) random.nextGaussian();
        }
        float[] img = new float[n * d], txt = new float[n * d];
        int[] truth = new int[n];
        for (int p = 0; p < n; p++) {
            truth[p] = (p * 7) % topics; // interleaved topics
            for (int j = 0; j < d; j++) {
                img[p * d + j] = dirs[truth[p] * d + j] + (float) (0.1 * random.nextGaussian());
                txt[p * d + j] = dirs[truth[p] * d + j] + (float) (0.1 * random.nextGaussian());
            }
        }
        Path image = dir.resolve("img_emb_0.npy"), text = dir.resolve("text_emb_0.npy");
        NpyArray.ofFloatsAsHalf(img, n, d).write(image);
        NpyArray.ofFloats(txt, n, d).write(text);
        Path labels = dir.resolve("labels.npy"), centroids = dir.resolve("centroids.npy");
        KMeansConfig config = KMeansConfig.of(topics).withInit(Initialization.KMEANS_PLUS_PLUS).withChunks(33, 2, 8);
        KMeansResult result = JointFeatureClustering.run(TestBackends.get("cpu"), image, text, config, labels,
                NpyDtype.INT64, centroids, line -> { });
        Blobs.assertSamePartition(truth, result.labels());

        NpyArray readLabels = NpyArray.read(labels);
        assertEquals(NpyDtype.INT64, readLabels.dtype());
        assertArrayEquals(result.labels(), readLabels.toInts());
        NpyArray readCentroids = NpyArray.read(centroids);
        assertEquals(NpyDtype.FLOAT32, readCentroids.dtype());
        assertArrayEquals(new long[] {topics, d}, readCentroids.shape());
        assertArrayEquals(result.centroids().data(), readCentroids.toFloats());
        // centroids of unit-norm joint features are means of unit vectors: norm just under 1
        for (int c = 0; c < topics; c++) {
            double sq = 0;
            for (int j = 0; j < d; j++) {
                sq += Math.pow(readCentroids.toFloats()[c * d + j], 2);
            }
            assertEquals(1.0, Math.sqrt(sq), 0.02);
        }
    }

    @Test
    void floatLabelDtypeIsRejectedBeforeAnyWork(@TempDir Path dir) {
        Path labels = dir.resolve("labels.npy");
        assertThrows(IllegalArgumentException.class, () -> JointFeatureClustering.run(TestBackends.get("cpu"),
                dir.resolve("a.npy"), dir.resolve("b.npy"), KMeansConfig.of(2), labels, NpyDtype.FLOAT32,
                dir.resolve("c.npy"), line -> { }));
        assertFalse(Files.exists(labels));
    }
}
