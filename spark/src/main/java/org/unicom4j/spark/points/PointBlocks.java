package org.unicom4j.spark.points;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Vectors;
import scala.Tuple2;

/**
 * Feature rows spread over a cluster: a cached RDD of {@link PointBlock}s in a fixed order. A row's position is
 * its rank in that order (partition by partition, block by block); for {@code .npy} shards it is the row's index
 * in the shards taken in order, as in {@code unicom4j cluster}. Positions are what k-means samples and re-seeds by,
 * so a run is reproducible for the same input and partitioning.
 */
public final class PointBlocks implements AutoCloseable {
    /** Rows per cached block (and per kernel call). */
    public static final int BLOCK_ROWS = 16_384;

    private final JavaRDD<PointBlock> blocks;
    /** starts[p] = position of partition p's first row; starts[partitions] = rows. */
    private final long[] starts;
    private final int dim;

    private PointBlocks(JavaRDD<PointBlock> blocks, long[] starts, int dim) {
        this.blocks = blocks;
        this.starts = starts;
        this.dim = dim;
    }

    /**
     * The rows of {@code imageShards} in this order (with {@code textShards} paired shard by shard and row by row for
     * {@link RowFeature#JOINT_IMAGE_TEXT}), split into partitions of at most {@code rowsPerPartition} rows; 0 chooses
     * {@link #autoRowsPerPartition}.
     */
    public static PointBlocks fromNpyShards(JavaSparkContext sc, List<Path> imageShards, List<Path> textShards,
                                            RowFeature feature, long rowsPerPartition) throws IOException {
        boolean joint = feature == RowFeature.JOINT_IMAGE_TEXT;
        if (imageShards.isEmpty() || joint != (textShards != null)
                || (joint && textShards.size() != imageShards.size())) {
            throw new InvalidInputException("features: " + imageShards.size() + " shard(s)"
                    + (textShards == null ? "" : " and " + textShards.size() + " text shard(s)")
                    + "; expected at least one, and as many text shards as image shards for the joint feature");
        }
        List<NpySplit> splits = new ArrayList<>();
        long idBase = 0;
        int dim = -1;
        long[] shardRows = new long[imageShards.size()];
        for (int s = 0; s < imageShards.size(); s++) {
            Path image = imageShards.get(s).toAbsolutePath(), text = joint ? textShards.get(s).toAbsolutePath() : null;
            long[] shape = NpySplit.shape(image, text);
            long rows = shape[0];
            int d = (int) shape[1];
            if (dim >= 0 && d != dim) {
                throw new InvalidInputException(image + ": rows of dim " + d + ", expected " + dim
                        + " as in " + imageShards.getFirst());
            }
            dim = d;
            shardRows[s] = rows;
        }
        long perPartition = rowsPerPartition > 0 ? rowsPerPartition
                : autoRowsPerPartition(Arrays.stream(shardRows).sum(), sc.defaultParallelism());
        for (int s = 0; s < imageShards.size(); s++) {
            String image = imageShards.get(s).toAbsolutePath().toString();
            String text = joint ? textShards.get(s).toAbsolutePath().toString() : null;
            for (long first = 0; first < shardRows[s]; first += perPartition) {
                splits.add(new NpySplit(image, text, idBase, first, Math.min(perPartition, shardRows[s] - first),
                        feature));
            }
            idBase += shardRows[s];
        }
        JavaRDD<PointBlock> blocks = sc.parallelize(splits, Math.max(1, splits.size()))
                .flatMap(split -> split.read(BLOCK_ROWS));
        return cache(blocks, dim);
    }

    /**
     * The rows of a table: a long id column and a vector column (array of float or double), with a second vector
     * column for {@link RowFeature#JOINT_IMAGE_TEXT}; in the table's partition order.
     */
    public static PointBlocks fromDataset(Dataset<Row> table, String idColumn, String vectorColumn,
                                          String textColumn, RowFeature feature) {
        boolean joint = feature == RowFeature.JOINT_IMAGE_TEXT;
        if (joint != (textColumn != null)) {
            throw new InvalidInputException("features: the joint image/text feature needs a text column, and only it");
        }
        Dataset<Row> selected = joint ? table.select(table.col(idColumn).cast("long"), table.col(vectorColumn),
                table.col(textColumn)) : table.select(table.col(idColumn).cast("long"), table.col(vectorColumn));
        int dim = firstVectorLength(selected, vectorColumn);
        JavaRDD<PointBlock> blocks = selected.javaRDD().mapPartitions(rows -> TableRows.blocks(rows, dim, feature,
                BLOCK_ROWS));
        return cache(blocks, dim);
    }

    /** Blocks already in the driver's memory, spread over {@code partitions} partitions in this order. */
    public static PointBlocks fromBlocks(JavaSparkContext sc, List<PointBlock> blocks, int partitions) {
        if (blocks.isEmpty()) {
            throw new InvalidInputException("features: no rows");
        }
        return cache(sc.parallelize(blocks, partitions), blocks.getFirst().dim());
    }

    /** Two partitions per task slot (so a slow task is not the whole stage), at most 1M rows each. */
    public static long autoRowsPerPartition(long rows, int taskSlots) {
        return Math.max(1, Math.min(1_000_000, (rows + 2L * taskSlots - 1) / (2L * taskSlots)));
    }

    private static int firstVectorLength(Dataset<Row> selected, String vectorColumn) {
        List<Row> first = selected.limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new InvalidInputException("features: the table has no rows");
        }
        int dim = first.getFirst().getList(1).size();
        if (dim == 0) {
            throw new InvalidInputException("features: column " + vectorColumn + " holds empty vectors");
        }
        return dim;
    }

    private static PointBlocks cache(JavaRDD<PointBlock> blocks, int dim) {
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        List<Long> counts = blocks.mapPartitions(it -> {
            long n = 0;
            while (it.hasNext()) {
                n += it.next().rows();
            }
            return List.of(n).iterator();
        }).collect();
        long[] starts = new long[counts.size() + 1];
        for (int p = 0; p < counts.size(); p++) {
            starts[p + 1] = starts[p] + counts.get(p);
        }
        return new PointBlocks(blocks, starts, dim);
    }

    public JavaRDD<PointBlock> rdd() {
        return blocks;
    }

    public long rows() {
        return starts[starts.length - 1];
    }

    public int dim() {
        return dim;
    }

    public int partitions() {
        return starts.length - 1;
    }

    /** Positions of each partition's first row, and the total last. */
    public long[] starts() {
        return starts.clone();
    }

    /** The rows at {@code positions} (ascending, distinct), in that order, fetched by one job. */
    public Vectors gather(long[] positions) {
        for (int i = 1; i < positions.length; i++) {
            if (positions[i] <= positions[i - 1]) {
                throw new IllegalArgumentException("gather: positions must ascend strictly");
            }
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<long[]> wanted = sc.broadcast(positions);
        long[] partitionStarts = starts;
        int d = dim;
        List<float[]> rows = blocks.mapPartitionsWithIndex((p, it) -> gatherPartition(p, it, partitionStarts,
                wanted.value(), d), false).collect();
        wanted.destroy();
        float[] out = new float[Math.multiplyExact(positions.length, d)];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * d, d);
        }
        return new Vectors(out, positions.length, d);
    }

    private static Iterator<float[]> gatherPartition(int p, Iterator<PointBlock> it, long[] starts, long[] wanted,
                                                     int d) {
        List<float[]> out = new ArrayList<>();
        int next = lowerBound(wanted, starts[p]);
        long position = starts[p];
        while (it.hasNext() && next < wanted.length && wanted[next] < starts[p + 1]) {
            PointBlock b = it.next();
            while (next < wanted.length && wanted[next] < position + b.rows()) {
                int i = (int) (wanted[next] - position);
                out.add(Arrays.copyOfRange(b.data(), i * d, (i + 1) * d));
                next++;
            }
            position += b.rows();
        }
        return out.iterator();
    }

    private static int lowerBound(long[] sorted, long key) {
        int i = Arrays.binarySearch(sorted, key);
        return i >= 0 ? i : -i - 1;
    }

    /** The ids of the rows, block by block, zipped with {@code perBlock} (one element per block, same partitioning). */
    public <T> JavaRDD<Tuple2<long[], T>> zipIds(JavaRDD<T> perBlock) {
        return blocks.zipPartitions(perBlock, (b, t) -> {
            List<Tuple2<long[], T>> out = new ArrayList<>();
            while (b.hasNext()) {
                out.add(new Tuple2<>(b.next().ids(), t.next()));
            }
            return out.iterator();
        });
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }
}
