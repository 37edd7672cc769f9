package org.unicom4j.cli.embed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.cli.embedding.EmbeddingWriter;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.spark.embed.DistributedEmbedding;
import org.unicom4j.spark.embed.EmbedReport;
import org.unicom4j.spark.embed.EmbedSettings;

/**
 * {@code embed --engine spark}: the images of an {@link ImageSource} as a table (id = the image's index, path, label)
 * embedded by {@link DistributedEmbedding} into {@code .npy} shards under OUT/shards, then gathered in order into
 * the files {@code embed} writes (the shards are removed), or written as Parquet (OUT/embeddings.parquet).
 */
final class SparkEmbedding {
    private SparkEmbedding() {
    }

    /** The source as the job's image table, in {@code partitions} partitions in source order. */
    static Dataset<Row> table(SparkSession spark, ImageSource source, int partitions) {
        List<Row> rows = new ArrayList<>(source.size());
        for (int i = 0; i < source.size(); i++) {
            rows.add(RowFactory.create((long) i, source.ids().get(i), source.dataset().label(i)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("path", DataTypes.StringType, false).add("label", DataTypes.IntegerType, false);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(sc.parallelize(rows, Math.max(1, partitions)), schema);
    }

    /** Embeds into shards, then streams them in partition order into {@code writer}; returns the job's report. */
    static EmbedReport toNpy(Dataset<Row> table, EmbedSettings settings, Path out, EmbeddingWriter writer)
            throws IOException {
        Path shards = out.resolve("shards");
        EmbedReport report = new DistributedEmbedding(settings).writeNpyShards(table, shards);
        for (int p = 0; p < report.rowsPerPartition().length; p++) {
            if (report.rowsPerPartition()[p] == 0) {
                continue;
            }
            long[] ids = NpyArray.read(DistributedEmbedding.shard(shards, DistributedEmbedding.IDS_DIR, p)).toLongs();
            float[] embeddings = NpyArray.read(DistributedEmbedding.shard(shards, DistributedEmbedding.EMBEDDINGS_DIR,
                    p)).toFloats();
            int[] indices = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                indices[i] = Math.toIntExact(ids[i]);
            }
            writer.accept(indices, embeddings, indices.length);
        }
        deleteTree(shards);
        return report;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
