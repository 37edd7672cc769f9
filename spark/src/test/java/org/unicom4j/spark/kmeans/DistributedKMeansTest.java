package org.unicom4j.spark.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.Initialization;
import org.unicom4j.retrieval.kmeans.JointImageTextPoints;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.kmeans.KMeansResult;
import org.unicom4j.spark.TestSpark;
import org.unicom4j.spark.points.PointBlocks;
import org.unicom4j.spark.points.RowFeature;

/** The distributed k-means against the single-machine KMeans on local[2], and under a retried task. */
class DistributedKMeansTest {
    @TempDir
    Path dir;

    /** 2,400 rows of 12 overlapping Gaussian blobs in 8-D, in three shards, 8 partitions: the same run as KMeans. */
    @Test
    void equalsSingleMachineKMeans() throws Exception {
        float[] x = blobs(2400, 8, 12, 3);
        List<Path> shards = shards(x, 8, 1000, "img");
        KMeansConfig config = KMeansConfig.of(12).withIterations(12).withSeed(5);
        KMeansResult single = new KMeans(TestBackends.get("cpu"), config, line -> { }).fit(new Vectors(x, 2400, 8));
        try (PointBlocks points = PointBlocks.fromNpyShards(TestSpark.context(), shards, null, RowFeature.AS_STORED,
                350); DistributedKMeansResult spark = new DistributedKMeans(config, "cpu", line -> { }).fit(points)) {
            assertEquals(8, points.partitions()); // 1000 + 1000 + 400 rows in splits of 350
            assertSameRun(single, spark);
        }
    }

    /** The joint image/text feature and k-means++ on a driver-side sample, as cluster --text --init kmeans++. */
    @Test
    void jointFeatureWithKMeansPlusPlusEqualsSingleMachine() throws Exception {
        float[] image = blobs(1500, 6, 9, 11), text = blobs(1500, 6, 9, 12);
        List<Path> images = shards(image, 6, 600, "img"), texts = shards(text, 6, 600, "txt");
        KMeansConfig config = KMeansConfig.of(9).withIterations(8).withInit(Initialization.KMEANS_PLUS_PLUS)
                .withInitSample(700);
        KMeansResult single = new KMeans(TestBackends.get("cpu"), config, line -> { })
                .fit(concatenatedJoint(images, texts));
        try (PointBlocks points = PointBlocks.fromNpyShards(TestSpark.context(), images, texts,
                RowFeature.JOINT_IMAGE_TEXT, 400);
             DistributedKMeansResult spark = new DistributedKMeans(config, "cpu", line -> { }).fit(points)) {
            assertSameRun(single, spark);
        }
    }

    /**
     * 300 copies of A, then B and C, k = 3 (KMeansTest's case): duplicate first centroids leave clusters empty;
     * they are re-seeded with the farthest rows, fetched from the executors, as KMeans does.
     */
    @Test
    void reseedsEmptyClustersAsSingleMachine() throws Exception {
        float[] x = new float[302 * 2];
        x[300 * 2] = 10;
        x[301 * 2 + 1] = 10;
        KMeansConfig config = KMeansConfig.of(3);
        KMeansResult single = new KMeans(TestBackends.get("cpu"), config, line -> { }).fit(new Vectors(x, 302, 2));
        List<String> lines = new ArrayList<>();
        try (PointBlocks points = PointBlocks.fromNpyShards(TestSpark.context(), shards(x, 2, 302, "img"), null,
                RowFeature.AS_STORED, 100);
             DistributedKMeansResult spark = new DistributedKMeans(config, "cpu", lines::add).fit(points)) {
            assertTrue(spark.reseeded()[0] >= 1, Arrays.toString(spark.reseeded()));
            assertTrue(lines.stream().anyMatch(l -> l.contains("re-seeded")), lines.toString());
            assertSameRun(single, spark);
            assertEquals(0.0, spark.objective());
        }
    }

    /** A task of the second pass fails on its first attempt; Spark's retry gives the same bits. */
    @Test
    void retriedTaskChangesNothing() throws Exception {
        float[] x = blobs(1200, 5, 7, 21);
        KMeansConfig config = KMeansConfig.of(7).withIterations(6);
        List<Path> shards = shards(x, 5, 1200, "img");
        try (PointBlocks points = PointBlocks.fromNpyShards(TestSpark.context(), shards, null, RowFeature.AS_STORED,
                300); DistributedKMeansResult clean = new DistributedKMeans(config, "cpu", line -> { }).fit(points);
             DistributedKMeansResult retried = TestSpark.withFailedFirstAttempt(AssignTask.STEP, 2,
                     () -> new DistributedKMeans(config, "cpu", line -> { }).fit(points))) {
            assertArrayEquals(clean.labels(), retried.labels());
            assertArrayEquals(clean.centroids().data(), retried.centroids().data());
            assertArrayEquals(clean.objectives(), retried.objectives());
        }
    }

    /** Dataset in (id, vector), Dataset out (id, label): ids travel with their rows. */
    @Test
    void tableInTableOut() throws Exception {
        float[] x = blobs(900, 4, 5, 31);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            rows.add(RowFactory.create(1_000_000L + 7L * i, Arrays.copyOfRange(x, i * 4, i * 4 + 4)));
        }
        StructType schema = new StructType().add("key", DataTypes.LongType)
                .add("embedding", DataTypes.createArrayType(DataTypes.FloatType));
        Dataset<Row> table = TestSpark.session().createDataFrame(TestSpark.context().parallelize(rows, 3), schema);
        KMeansConfig config = KMeansConfig.of(5).withIterations(10);
        KMeansResult single = new KMeans(TestBackends.get("cpu"), config, line -> { }).fit(new Vectors(x, 900, 4));
        try (PointBlocks points = PointBlocks.fromDataset(table, "key", "embedding", null, RowFeature.AS_STORED);
             DistributedKMeansResult spark = new DistributedKMeans(config, "cpu", line -> { }).fit(points)) {
            assertSameRun(single, spark);
            int[] byId = new int[900];
            for (Row r : spark.labelTable(TestSpark.session()).collectAsList()) {
                byId[(int) ((r.getLong(0) - 1_000_000L) / 7)] = r.getInt(1);
            }
            assertArrayEquals(single.labels(), byId);
        }
    }

    private static void assertSameRun(KMeansResult single, DistributedKMeansResult spark) {
        assertArrayEquals(single.labels(), spark.labels());
        assertEquals(single.objectives().length, spark.objectives().length, "passes");
        for (int t = 0; t < single.objectives().length; t++) {
            assertEquals(single.objectives()[t], spark.objectives()[t], 1e-6 * single.objectives()[t],
                    "objective of pass " + t);
        }
        assertArrayEquals(single.reseeded(), spark.reseeded());
        assertArrayEquals(single.centroids().data(), spark.centroids().data(), 1e-5f);
    }

    /** n rows around `centres` random centres in [-4, 4]^dim with unit noise: overlapping, so Lloyd has work. */
    static float[] blobs(int n, int dim, int centres, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] c = new float[centres * dim];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (random.nextDouble() * 8 - 4);
        }
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            int centre = random.nextInt(centres);
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = c[centre * dim + j] + (float) gaussian(random);
            }
        }
        return x;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** The rows written as .npy shards of at most `rowsPerShard` rows. */
    private List<Path> shards(float[] x, int dim, int rowsPerShard, String prefix) throws Exception {
        List<Path> out = new ArrayList<>();
        int rows = x.length / dim;
        for (int first = 0, s = 0; first < rows; first += rowsPerShard, s++) {
            int n = Math.min(rowsPerShard, rows - first);
            Path f = dir.resolve(prefix + "_" + s + ".npy");
            NpyArray.ofFloats(Arrays.copyOfRange(x, first * dim, (first + n) * dim), n, dim).write(f);
            out.add(f);
        }
        return out;
    }

    /** The joint rows of paired shards, one after the other, read through JointImageTextPoints as cluster does. */
    private Vectors concatenatedJoint(List<Path> images, List<Path> texts) throws Exception {
        List<float[]> parts = new ArrayList<>();
        int dim = 0, rows = 0;
        for (int s = 0; s < images.size(); s++) {
            try (JointImageTextPoints p = JointImageTextPoints.open(images.get(s), texts.get(s))) {
                float[] part = new float[(int) p.size() * p.dim()];
                p.read(0, (int) p.size(), part);
                parts.add(part);
                dim = p.dim();
                rows += (int) p.size();
            }
        }
        float[] all = new float[rows * dim];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return new Vectors(all, rows, dim);
    }
}
