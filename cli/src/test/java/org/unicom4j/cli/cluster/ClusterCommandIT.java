package org.unicom4j.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.cli.CliRun.args;
import static org.unicom4j.cli.CliRun.error;
import static org.unicom4j.cli.CliRun.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.FashionMnistTestData;
import org.unicom4j.data.npy.NpyArray;

/** {@code unicom4j cluster} on Fashion-MNIST pixels: clusters that follow the classes, alone and as pairs. */
class ClusterCommandIT {
    private static final int N = 2000;

    /** Fraction of items whose cluster's majority class is their own class. */
    private static double purity(int[] clusters, int[] classes, int k) {
        int[][] counts = new int[k][10];
        for (int i = 0; i < clusters.length; i++) {
            counts[clusters[i]][classes[i]]++;
        }
        int majority = 0;
        for (int[] c : counts) {
            majority += java.util.Arrays.stream(c).max().orElse(0);
        }
        return (double) majority / clusters.length;
    }

    @Test
    void pixelClustersFollowTheClasses(@TempDir Path dir) throws Exception {
        Path pixels = FashionMnistTestData.pixelRows(dir.resolve("pixels.npy"), N);
        int[] classes = FashionMnistTestData.labels(N);
        ok("cluster", pixels.toString(), "-k", "20", "--init", "kmeans++", "--out", dir.resolve("out").toString(),
                "--backend", "cpu");
        double purity = purity(NpyArray.read(dir.resolve("out/labels.npy")).toInts(), classes, 20);
        // k-means on raw Fashion-MNIST pixels lands near 0.6 purity at k = 20; chance (majority class) is ~0.1.
        assertTrue(purity > 0.45, "purity " + purity);
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("out/clusters.json").toFile());
        assertEquals(N, summary.get("rows").asInt());
        double[] objectives = new ObjectMapper().convertValue(summary.get("objectives"), double[].class);
        for (int i = 1; i < objectives.length; i++) {
            assertTrue(objectives[i] <= objectives[i - 1] * (1 + 1e-6), "objective never rises: " + summary);
        }
    }

    @Test
    void jointFeaturesOfPairsWithANoisyHalf(@TempDir Path dir) throws Exception {
        // "Images" are the pixels; "texts" are the same pixels with heavy noise: the joint mean keeps the classes.
        float[] pixels = NpyArray.read(FashionMnistTestData.pixelRows(dir.resolve("p.npy"), N)).toFloats();
        float[] noisy = pixels.clone();
        Random random = new Random(9);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += 0.5f * (float) random.nextGaussian();
        }
        NpyArray.ofFloatsAsHalf(pixels, N, 784).write(dir.resolve("image.npy"));
        NpyArray.ofFloatsAsHalf(noisy, N, 784).write(dir.resolve("text.npy"));
        ok("cluster", dir.resolve("image.npy").toString(), "--text", dir.resolve("text.npy").toString(), "-k", "20",
                "--iterations", "10", "--out", dir.resolve("out").toString(), "--backend", "cpu");
        double purity = purity(NpyArray.read(dir.resolve("out/labels.npy")).toInts(),
                FashionMnistTestData.labels(N), 20);
        assertTrue(purity > 0.4, "purity " + purity);
        error(args("cluster", dir.resolve("image.npy").toString(), "--text", dir.resolve("p.npy").toString(), "-k",
                "5", "--no-normalize", "--out", dir.resolve("bad").toString()), "--no-normalize does not apply");
        assertFalse(Files.exists(dir.resolve("bad")));
    }
}
