package org.unicom4j.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.unicom4j.cli.CliRun.args;
import static org.unicom4j.cli.CliRun.error;
import static org.unicom4j.cli.CliRun.ok;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.npy.NpyArray;

/** {@code cluster --engine spark} on the embedded local master writes what {@code cluster} writes. */
class ClusterOnSparkTest {

    @Test
    void sparkEngineWritesTheJvmEnginesLabelsAndCentroids(@TempDir Path dir) throws Exception {
        Random random = new Random(4);
        int rows = 1200, dim = 6;
        float[] x = new float[rows * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian() + (i / dim % 5) * 2f;
        }
        Path shards = Files.createDirectories(dir.resolve("shards"));
        NpyArray.ofFloats(Arrays.copyOfRange(x, 0, 700 * dim), 700, dim).write(shards.resolve("part-0.npy"));
        NpyArray.ofFloats(Arrays.copyOfRange(x, 700 * dim, x.length), 500, dim).write(shards.resolve("part-1.npy"));
        Path all = dir.resolve("all.npy");
        NpyArray.ofFloats(x, rows, dim).write(all);
        ok("cluster", all.toString(), "-k", "8", "--iterations", "6", "--backend", "cpu", "--out",
                dir.resolve("jvm").toString());
        ok("cluster", shards.toString(), "-k", "8", "--iterations", "6", "--backend", "cpu", "--engine", "spark",
                "--master", "local[2]", "--rows-per-partition", "300", "--out", dir.resolve("spark").toString());
        assertArrayEquals(NpyArray.read(dir.resolve("jvm/labels.npy")).toInts(),
                NpyArray.read(dir.resolve("spark/labels.npy")).toInts());
        assertArrayEquals(NpyArray.read(dir.resolve("jvm/centroids.npy")).toFloats(),
                NpyArray.read(dir.resolve("spark/centroids.npy")).toFloats(), 1e-5f);
        var json = new ObjectMapper();
        double jvm = json.readTree(dir.resolve("jvm/clusters.json").toFile()).get("objective").asDouble();
        double spark = json.readTree(dir.resolve("spark/clusters.json").toFile()).get("objective").asDouble();
        assertEquals(jvm, spark, 1e-6 * jvm);
    }

    @Test
    void aFolderOfShardsNeedsTheSparkEngineAndAnEngineIsNamed(@TempDir Path dir) {
        error(args("cluster", dir.toString(), "-k", "2"), "feature file not found");
        error(args("cluster", dir.toString(), "-k", "2", "--engine", "flink"), "--engine 'flink'",
                "expected jvm or spark");
        error(args("cluster", dir.toString(), "-k", "2", "--engine", "spark", "--master", "local[1]"),
                "no .npy shards in this folder");
    }
}
