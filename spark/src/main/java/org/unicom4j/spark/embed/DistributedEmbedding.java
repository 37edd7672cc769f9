package org.unicom4j.spark.embed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.spark.InjectedFailure;
import scala.Tuple2;

/**
 * Embeds a table of images ({@link ImageTable}) on the executors, each loading the model once per JVM
 * ({@link ExecutorEmbedders}) and embedding its partitions in batches ({@link PartitionEmbedder}); raw model
 * outputs, as {@code unicom4j embed} writes them. Bad images are counted in accumulators (and named, up to
 * {@value EmbedReport#LISTED}).
 *
 * <p>A task Spark retries writes nothing twice: Parquet goes through Spark's output commit protocol (a failed
 * attempt's files are discarded); {@code .npy} shards are named by partition and each file is written atomically,
 * so a retry replaces what a failed attempt left.
 */
public final class DistributedEmbedding {
    /** The step name of the test-only {@link InjectedFailure}: fails a task midway through its output. */
    public static final String STEP = "embed-partition";
    public static final String EMBEDDINGS_DIR = "embeddings";
    public static final String IDS_DIR = "ids";
    public static final String LABELS_DIR = "labels";

    private final EmbedSettings settings;

    public DistributedEmbedding(EmbedSettings settings) {
        this.settings = settings;
    }

    /**
     * The embedder this JVM's tasks use with these settings (opened now if need be): its model id and dimension
     * for a report. In local mode the driver is the executor, so the model is still loaded once.
     */
    public static org.unicom4j.api.ImageEmbedder embedderHere(EmbedSettings settings) {
        return ExecutorEmbedders.get(settings);
    }

    /** The embedded rows (id, path, label, embedding) of {@code images}, computed when the result is used. */
    public Dataset<Row> embed(Dataset<Row> images, LongAccumulator skipped, CollectionAccumulator<String> named) {
        EmbedSettings s = settings;
        MapPartitionsFunction<Row, Row> f = rows -> {
            PartitionEmbedder.Embedded e = PartitionEmbedder.embed(rows, s);
            count(e, skipped, named);
            return new InjectingIterator(rowsOf(e));
        };
        return ImageTable.normalise(images).mapPartitions(f, Encoders.row(ImageTable.EMBEDDINGS));
    }

    /** Writes {@code images}' embeddings as Parquet at {@code uri} (replacing what is there). */
    public EmbedReport writeParquet(Dataset<Row> images, String uri) {
        var sc = images.sparkSession().sparkContext();
        LongAccumulator skipped = sc.longAccumulator("unicom4j bad images");
        CollectionAccumulator<String> named = sc.collectionAccumulator("unicom4j bad images named");
        embed(images, skipped, named).write().mode(SaveMode.Overwrite).parquet(uri);
        long embedded = images.sparkSession().read().parquet(uri).count();
        return new EmbedReport(embedded, skipped.value(), firstNamed(named), new long[0]);
    }

    /**
     * Writes each partition's embeddings as {@code dir/embeddings/part-NNNNN.npy} (float32 [rows, dim]) with its row
     * ids and labels in {@code dir/ids} and {@code dir/labels} (int64, int32); the shards of partitions 0, 1, ...
     * taken in order are the table's embedded rows in its order. {@code dir} must be a folder every executor can
     * write (a shared file system, or local mode); it is emptied first.
     */
    public EmbedReport writeNpyShards(Dataset<Row> images, Path dir) throws IOException {
        for (String sub : List.of(EMBEDDINGS_DIR, IDS_DIR, LABELS_DIR)) {
            deleteShards(dir.resolve(sub));
            Files.createDirectories(dir.resolve(sub));
        }
        var sc = images.sparkSession().sparkContext();
        LongAccumulator skipped = sc.longAccumulator("unicom4j bad images");
        CollectionAccumulator<String> named = sc.collectionAccumulator("unicom4j bad images named");
        EmbedSettings s = settings;
        String root = dir.toAbsolutePath().toString();
        List<Tuple2<Integer, Long>> written = ImageTable.normalise(images).javaRDD()
                .mapPartitionsWithIndex((p, rows) -> {
                    PartitionEmbedder.Embedded e = PartitionEmbedder.embed(rows, s);
                    writeShard(Path.of(root), p, e);
                    count(e, skipped, named);
                    return List.of(new Tuple2<>(p, (long) e.rows())).iterator();
                }, true).collect();
        long[] perPartition = written.stream().mapToLong(Tuple2::_2).toArray();
        return new EmbedReport(java.util.Arrays.stream(perPartition).sum(), skipped.value(), firstNamed(named),
                perPartition);
    }

    /** The shard file of partition p in {@code sub}. */
    public static Path shard(Path dir, String sub, int p) {
        return dir.resolve(sub).resolve(String.format("part-%05d.npy", p));
    }

    private static void writeShard(Path dir, int p, PartitionEmbedder.Embedded e) throws IOException {
        NpyArray.ofFloats(e.embeddings(), e.rows(), e.dim()).write(shard(dir, EMBEDDINGS_DIR, p));
        InjectedFailure.maybeThrow(STEP); // a failed attempt leaves the embeddings shard without its ids
        NpyArray.ofLongs(e.ids(), e.rows()).write(shard(dir, IDS_DIR, p));
        NpyArray.ofInts(e.labels(), e.rows()).write(shard(dir, LABELS_DIR, p));
    }

    private static void deleteShards(Path sub) throws IOException {
        if (!Files.isDirectory(sub)) {
            return;
        }
        try (Stream<Path> files = Files.list(sub)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                Files.delete(f);
            }
        }
    }

    private static void count(PartitionEmbedder.Embedded e, LongAccumulator skipped,
                              CollectionAccumulator<String> named) {
        skipped.add(e.skipped().size());
        e.skipped().stream().limit(EmbedReport.LISTED).forEach(named::add);
    }

    private static List<String> firstNamed(CollectionAccumulator<String> named) {
        List<String> all = new ArrayList<>(named.value());
        all.sort(null);
        return all.subList(0, Math.min(all.size(), EmbedReport.LISTED));
    }

    private static Iterator<Row> rowsOf(PartitionEmbedder.Embedded e) {
        List<Row> out = new ArrayList<>(e.rows());
        for (int i = 0; i < e.rows(); i++) {
            out.add(RowFactory.create(e.ids()[i], e.paths()[i], e.labels()[i],
                    java.util.Arrays.copyOfRange(e.embeddings(), i * e.dim(), (i + 1) * e.dim())));
        }
        return out.iterator();
    }

    /** Hands rows to Spark's writer; under the test-only switch, fails after the first, mid-output. */
    private record InjectingIterator(Iterator<Row> rows) implements Iterator<Row> {
        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            Row r = rows.next();
            InjectedFailure.maybeThrow(STEP);
            return r;
        }
    }
}
