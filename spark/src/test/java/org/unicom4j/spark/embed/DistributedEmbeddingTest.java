package org.unicom4j.spark.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.api.dataset.DatasetEmbedder;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.api.model.ModelLoader;
import org.unicom4j.api.model.ModelSource;
import org.unicom4j.data.dataset.FileImageDataset;
import org.unicom4j.data.dataset.ImageFolder;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.spark.TestSpark;
import org.unicom4j.api.dataset.ImageSource;

/**
 * The embedding job on local[2] against the data-set embedding {@code unicom4j embed} runs (api's DatasetEmbedder),
 * row for row, in both output formats, with a bad image, and with a task that fails midway and is retried.
 */
class DistributedEmbeddingTest {
    private static final ModelSource MODEL = ModelSource.random("tiny", 3);
    private static final int IMAGES = 23;

    @TempDir
    Path dir;
    private Path folder;
    private ImageSource source;
    /** What embed computes: embeddings of the good images in folder order, with their indices. */
    private float[] expected;
    private int[] expectedIndices;

    @BeforeEach
    void imagesAndTheSingleJvmEmbedding() throws Exception {
        folder = dir.resolve("images");
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < IMAGES; i++) {
            Path cls = Files.createDirectories(folder.resolve("c" + (i % 3)));
            BufferedImage image = new BufferedImage(20 + i, 30 - i % 7, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            ImageIO.write(image, "png", cls.resolve(String.format("i%02d.png", i)).toFile());
        }
        Files.writeString(folder.resolve("c1/zz-broken.png"), "not an image");
        FileImageDataset dataset = ImageFolder.read(folder);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < dataset.size(); i++) {
            ids.add(dataset.describe(i));
        }
        source = new ImageSource(dataset, ids, java.util.Collections.nCopies(dataset.size(), ""), "test images");
        List<float[]> rows = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        try (Backend backend = Backends.open("cpu"); LoadedModel model = ModelLoader.load(backend, MODEL)) {
            DatasetEmbedder.embed(model, source, 4, 1, BadImagePolicy.SKIP, new PrintStream(OutputStream
                    .nullOutputStream()), done -> { }, (idx, emb, count) -> {
                        int d = emb.length / count;
                        for (int i = 0; i < count; i++) {
                            rows.add(Arrays.copyOfRange(emb, i * d, (i + 1) * d));
                            indices.add(idx[i]);
                        }
                    });
        }
        int d = rows.getFirst().length;
        expected = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, expected, i * d, d);
        }
        expectedIndices = indices.stream().mapToInt(Integer::intValue).toArray();
        assertEquals(IMAGES, expectedIndices.length, "the broken file is skipped");
    }

    private Dataset<Row> table(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            rows.add(RowFactory.create((long) i, source.ids().get(i), source.dataset().label(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("path", DataTypes.StringType)
                .add("label", DataTypes.IntegerType);
        return TestSpark.session().createDataFrame(TestSpark.context().parallelize(rows, partitions), schema);
    }

    private static EmbedSettings settings(BadImagePolicy policy) {
        return new EmbedSettings(ModelSpec.of(MODEL), "cpu", 4, 1L << 26, policy);
    }

    @Test
    void npyShardsInPartitionOrderAreEmbedsRows() throws Exception {
        EmbedReport report = new DistributedEmbedding(settings(BadImagePolicy.SKIP)).writeNpyShards(table(4),
                dir.resolve("out"));
        assertEquals(IMAGES, report.embedded());
        assertEquals(1, report.skipped());
        assertTrue(report.firstSkipped().getFirst().contains("zz-broken.png"), report.firstSkipped().toString());
        assertShardsAreExpected(dir.resolve("out"), report);
    }

    @Test
    void parquetRowsAreEmbedsRows() throws Exception {
        String uri = dir.resolve("out.parquet").toString();
        EmbedReport report = new DistributedEmbedding(settings(BadImagePolicy.SKIP)).writeParquet(table(3), uri);
        assertEquals(IMAGES, report.embedded());
        assertEquals(1, report.skipped());
        assertParquetIsExpected(uri);
    }

    @Test
    void aTaskFailingMidwayAndRetriedWritesNothingTwice() throws Exception {
        EmbedReport npy = TestSpark.withFailedFirstAttempt(DistributedEmbedding.STEP, 1, () ->
                new DistributedEmbedding(settings(BadImagePolicy.SKIP)).writeNpyShards(table(4), dir.resolve("npy")));
        assertEquals(1, npy.skipped(), "the failed attempt's count is not kept");
        assertShardsAreExpected(dir.resolve("npy"), npy);
        String uri = dir.resolve("retried.parquet").toString();
        EmbedReport parquet = TestSpark.withFailedFirstAttempt(DistributedEmbedding.STEP, 1, () ->
                new DistributedEmbedding(settings(BadImagePolicy.SKIP)).writeParquet(table(3), uri));
        assertEquals(IMAGES, parquet.embedded());
        assertEquals(1, parquet.skipped());
        assertParquetIsExpected(uri);
    }

    @Test
    void stopAtABadImageFailsTheJobNamingIt() {
        var e = assertThrows(SparkException.class, () -> new DistributedEmbedding(settings(BadImagePolicy.STOP))
                .writeNpyShards(table(2), dir.resolve("stop")));
        assertTrue(e.getMessage().contains("zz-broken.png"), e.getMessage());
    }

    private void assertShardsAreExpected(Path out, EmbedReport report) throws Exception {
        List<Float> values = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int p = 0; p < report.rowsPerPartition().length; p++) {
            for (float v : NpyArray.read(DistributedEmbedding.shard(out, DistributedEmbedding.EMBEDDINGS_DIR, p))
                    .toFloats()) {
                values.add(v);
            }
            for (long id : NpyArray.read(DistributedEmbedding.shard(out, DistributedEmbedding.IDS_DIR, p)).toLongs()) {
                ids.add(id);
            }
        }
        assertArrayEquals(Arrays.stream(expectedIndices).asLongStream().toArray(),
                ids.stream().mapToLong(Long::longValue).toArray());
        float[] got = new float[values.size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = values.get(i);
        }
        assertArrayEquals(expected, got);
    }

    private void assertParquetIsExpected(String uri) {
        List<Row> rows = new ArrayList<>(TestSpark.session().read().parquet(uri).collectAsList());
        rows.sort(Comparator.comparingLong(r -> r.getLong(0)));
        assertEquals(expectedIndices.length, rows.size());
        int d = expected.length / expectedIndices.length;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(expectedIndices[i], r.getLong(0));
            assertEquals(source.ids().get(expectedIndices[i]), r.getString(1));
            assertEquals(source.dataset().label(expectedIndices[i]), r.getInt(2));
            List<Object> v = r.getList(3);
            float[] got = new float[v.size()];
            for (int j = 0; j < got.length; j++) {
                got[j] = (Float) v.get(j);
            }
            assertArrayEquals(Arrays.copyOfRange(expected, i * d, (i + 1) * d), got, "row " + i);
        }
    }
}
