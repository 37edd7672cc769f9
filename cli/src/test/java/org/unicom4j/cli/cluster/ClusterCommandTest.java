package org.unicom4j.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.unicom4j.cli.CliRun;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.data.npy.NpyDtype;

/** {@code unicom4j cluster}: well-separated groups come out as clusters; joint features; one-line errors. */
class ClusterCommandTest {
    private static final int PER_GROUP = 20, DIM = 8, GROUPS = 3;

    /** Three tight groups around orthogonal directions (with different lengths, which normalising removes). */
    private static float[] groups(long seed, float noise) {
        Random random = new Random(seed);
        float[] x = new float[GROUPS * PER_GROUP * DIM];
        for (int g = 0; g < GROUPS; g++) {
            for (int i = 0; i < PER_GROUP; i++) {
                int row = g * PER_GROUP + i;
                float length = 1 + 4 * random.nextFloat();
                for (int j = 0; j < DIM; j++) {
                    x[row * DIM + j] = length * ((j == g ? 1f : 0f) + noise * (float) random.nextGaussian());
                }
            }
        }
        return x;
    }

    @Test
    void separatedGroupsBecomeClusters(@TempDir Path dir) throws Exception {
        Path features = dir.resolve("features.npy");
        NpyArray.ofFloats(groups(1, 0.05f), GROUPS * PER_GROUP, DIM).write(features);
        Path out = dir.resolve("out");
        CliRun r = ok("cluster", features.toString(), "-k", "3", "--out", out.toString(), "--backend", "cpu",
                "--label-dtype", "int64");
        assertTrue(r.out().contains("60 rows of dim 8 -> 3 clusters"), r.out());
        NpyArray labels = NpyArray.read(out.resolve("labels.npy"));
        assertEquals(NpyDtype.INT64, labels.dtype());
        int[] l = labels.toInts();
        assertSameClusterWithinGroupsOnly(l);
        NpyArray centroids = NpyArray.read(out.resolve("centroids.npy"));
        assertArrayEquals(new long[] {3, DIM}, centroids.shape());
        // Centroids of normalised rows: each close to a unit axis.
        float[] c = centroids.toFloats();
        for (int k = 0; k < 3; k++) {
            int g = l[0] == k ? 0 : l[PER_GROUP] == k ? 1 : 2;
            assertEquals(1.0, c[k * DIM + g], 0.05, "centroid " + k + " on axis " + g);
        }
        JsonNode summary = new ObjectMapper().readTree(out.resolve("clusters.json").toFile());
        assertEquals(PER_GROUP, summary.get("cluster_sizes").get("min").asInt());
        assertEquals("L2-normalised", summary.get("feature").asText());
    }

    @Test
    void imageAndTextPairsAreClusteredOnTheirJointFeature(@TempDir Path dir) throws Exception {
        // Image features alone say nothing (pure noise); the text features carry the groups.
        Random random = new Random(2);
        float[] image = new float[GROUPS * PER_GROUP * DIM];
        for (int i = 0; i < image.length; i++) {
            image[i] = 0.02f * (float) random.nextGaussian();
        }
        Path img = dir.resolve("img.npy"), txt = dir.resolve("txt.npy");
        NpyArray.ofFloatsAsHalf(image, GROUPS * PER_GROUP, DIM).write(img);
        NpyArray.ofFloatsAsHalf(groups(3, 0.05f), GROUPS * PER_GROUP, DIM).write(txt);
        Path out = dir.resolve("out");
        ok("cluster", img.toString(), "--text", txt.toString(), "-k", "3", "--init", "kmeans++", "--out",
                out.toString(), "--backend", "cpu");
        assertEquals(NpyDtype.INT32, NpyArray.read(out.resolve("labels.npy")).dtype());
        assertSameClusterWithinGroupsOnly(NpyArray.read(out.resolve("labels.npy")).toInts());
    }

    @Test
    void badInputIsOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path features = dir.resolve("f.npy"), other = dir.resolve("g.npy"), ints = dir.resolve("i.npy");
        NpyArray.ofFloats(groups(1, 0.1f), GROUPS * PER_GROUP, DIM).write(features);
        NpyArray.ofFloats(new float[10 * DIM], 10, DIM).write(other);
        NpyArray.ofInts(new int[6], 3, 2).write(ints);
        String out = dir.resolve("out").toString();
        error(args("cluster", features.toString(), "-k", "61", "--out", out, "--backend", "cpu"), "60 points",
                "k = 61");
        error(args("cluster", features.toString(), "--text", other.toString(), "-k", "3", "--out", out,
                "--backend", "cpu"), "do not pair", "[10, 8]", "[60, 8]");
        error(args("cluster", ints.toString(), "-k", "2", "--out", out, "--backend", "cpu"), "i.npy", "<i4");
        error(args("cluster", dir.resolve("none.npy").toString(), "-k", "2", "--out", out), "none.npy",
                "not found");
        error(args("cluster", features.toString(), "-k", "3", "--init", "best", "--out", out), "--init 'best'");
        error(args("cluster", features.toString(), "-k", "3", "--label-dtype", "u8", "--out", out),
                "--label-dtype 'u8'");
        error(args("cluster", features.toString(), "--out", out), "Missing required option", "--clusters");
        assertFalse(Files.exists(dir.resolve("out")));
    }

    private static void assertSameClusterWithinGroupsOnly(int[] labels) {
        for (int g = 0; g < GROUPS; g++) {
            for (int i = 1; i < PER_GROUP; i++) {
                assertEquals(labels[g * PER_GROUP], labels[g * PER_GROUP + i], "group " + g + " item " + i);
            }
        }
        assertNotEquals(labels[0], labels[PER_GROUP]);
        assertNotEquals(labels[0], labels[2 * PER_GROUP]);
        assertNotEquals(labels[PER_GROUP], labels[2 * PER_GROUP]);
    }
}
