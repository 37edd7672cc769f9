package org.unicom4j.spark.kmeans;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.Initialization;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.kmeans.KMeansResult;
import org.unicom4j.spark.ExecutorBackends;
import org.unicom4j.spark.points.PointBlock;
import org.unicom4j.spark.points.PointBlocks;
import scala.Tuple2;

/**
 * k-means for K too large to broadcast (a million centroids of 512 floats are 2 GB): a coarse distributed k-means
 * into C cells ({@link DistributedKMeans}), then the rows shuffled by cell and each cell clustered on one executor
 * by the single-machine {@link KMeans} into its share of K ({@link FineClusterCounts}). Cluster ids run cell by
 * cell (cell 0's fine clusters first). Each row then belongs to the nearest fine centroid of its own cell, which is
 * not always its nearest overall: the price of never comparing a row with all K centroids (SCALE.md measures it
 * against flat k-means).
 */
public final class TwoLevelKMeans {
    private final KMeansConfig config;
    private final int cells;
    private final String backend;
    private final Consumer<String> progress;

    /**
     * @param config the fine k-means' settings, {@code config.k()} the total K (iterations and seed apply to both
     *               levels)
     * @param cells  the coarse k
     */
    public TwoLevelKMeans(KMeansConfig config, int cells, String backend, Consumer<String> progress) {
        if (cells < 1 || cells > config.k()) {
            throw new IllegalArgumentException("two-level k-means: " + cells + " cells for k = " + config.k()
                    + "; expected 1 <= cells <= k");
        }
        this.config = config;
        this.cells = cells;
        this.backend = backend;
        this.progress = progress;
    }

    /** The result: labels in position order, centroids [K, dim], and the objective over all rows. */
    public record Result(int[] labels, Vectors centroids, double objective, double coarseObjective) {
    }

    public Result fit(PointBlocks points) throws Exception {
        long start = System.nanoTime();
        KMeansConfig coarseConfig = new KMeansConfig(cells, config.iterations(), config.seed(), config.init(),
                Math.max(cells, config.initSample()), config.pointChunk(), config.centroidChunk(), config.queryBatch());
        long[] sizes;
        double coarseObjective;
        JavaPairRDD<Integer, Tuple2<long[], float[]>> byCell;
        try (DistributedKMeansResult coarse = new DistributedKMeans(coarseConfig, backend, progress).fit(points)) {
            sizes = coarse.clusterSizes();
            coarseObjective = coarse.objective();
            long[] starts = points.starts();
            byCell = JavaPairRDD.fromJavaRDD(points.rdd().zipPartitions(coarse.assignments(), (blocks, assigned) ->
                    rowsByCell(blocks, assigned, starts[org.apache.spark.TaskContext.getPartitionId()]).iterator()))
                    .partitionBy(new org.apache.spark.HashPartitioner(Math.max(1, Math.min(cells,
                            points.rdd().getNumPartitions()))))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            byCell.count(); // shuffle before the coarse labels are dropped
        }
        int[] fineK = FineClusterCounts.split(sizes, config.k());
        int[] offsets = new int[cells + 1];
        for (int c = 0; c < cells; c++) {
            offsets[c + 1] = offsets[c] + fineK[c];
        }
        progress.accept(String.format("two-level k-means: %,d cells done, %,d fine clusters in all; clustering each "
                + "cell on the executors", cells, config.k()));
        int d = points.dim();
        FineSettings fine = FineSettings.of(config);
        String backendName = backend;
        List<CellResult> results = byCell.groupByKey().map(cell -> CellResult.fit(cell._1(), cell._2(), d,
                fineK[cell._1()], fine, backendName)).collect();
        byCell.unpersist(false);
        float[] centroids = new float[Math.multiplyExact(config.k(), d)];
        int[] labels = new int[Math.toIntExact(points.rows())];
        double objective = 0;
        for (CellResult r : results.stream().sorted(java.util.Comparator.comparingInt(CellResult::cell)).toList()) {
            System.arraycopy(r.centroids(), 0, centroids, offsets[r.cell()] * d, r.centroids().length);
            for (int i = 0; i < r.positions().length; i++) {
                labels[(int) r.positions()[i]] = offsets[r.cell()] + r.labels()[i];
            }
            objective += r.objective();
        }
        progress.accept(String.format("two-level k-means: objective %.6e (coarse %.6e) in %.1f s", objective,
                coarseObjective, (System.nanoTime() - start) / 1e9));
        return new Result(labels, new Vectors(centroids, config.k(), d), objective, coarseObjective);
    }

    /** Each row as (cell, (position, vector)). */
    private static List<Tuple2<Integer, Tuple2<long[], float[]>>> rowsByCell(java.util.Iterator<PointBlock> blocks,
            java.util.Iterator<BlockAssignment> assigned, long start) {
        List<Tuple2<Integer, Tuple2<long[], float[]>>> out = new ArrayList<>();
        long position = start;
        while (blocks.hasNext()) {
            PointBlock b = blocks.next();
            int[] labels = assigned.next().labels();
            for (int i = 0; i < b.rows(); i++) {
                float[] row = java.util.Arrays.copyOfRange(b.data(), i * b.dim(), (i + 1) * b.dim());
                out.add(new Tuple2<>(labels[i], new Tuple2<>(new long[] {position + i}, row)));
            }
            position += b.rows();
        }
        return out;
    }

    /** The fine k-means' settings shipped to the executors (cell c seeds with seed + c). */
    record FineSettings(int iterations, long seed, Initialization init, int initSample, int pointChunk,
                        int centroidChunk, int queryBatch) implements java.io.Serializable {
        static FineSettings of(KMeansConfig c) {
            return new FineSettings(c.iterations(), c.seed(), c.init(), c.initSample(), c.pointChunk(),
                    c.centroidChunk(), c.queryBatch());
        }

        KMeansConfig forCell(int cell, int k) {
            return new KMeansConfig(k, iterations, seed + cell, init, Math.max(k, initSample), pointChunk,
                    centroidChunk, queryBatch);
        }
    }

    /** One cell's fine clustering, done on an executor. */
    record CellResult(int cell, long[] positions, int[] labels, float[] centroids, double objective)
            implements java.io.Serializable {

        static CellResult fit(int cell, Iterable<Tuple2<long[], float[]>> rows, int d, int k, FineSettings config,
                              String backend) {
            List<Tuple2<long[], float[]>> sorted = new ArrayList<>();
            rows.forEach(sorted::add);
            sorted.sort(java.util.Comparator.comparingLong(r -> r._1()[0])); // position order: reproducible
            float[] x = new float[sorted.size() * d];
            long[] positions = new long[sorted.size()];
            for (int i = 0; i < sorted.size(); i++) {
                positions[i] = sorted.get(i)._1()[0];
                System.arraycopy(sorted.get(i)._2(), 0, x, i * d, d);
            }
            KMeansConfig cellConfig = config.forCell(cell, k);
            try (ExecutorBackends.Lease lease = ExecutorBackends.borrow(backend)) {
                KMeansResult r = new KMeans(lease.backend(), cellConfig, line -> { }).fit(new Vectors(x,
                        positions.length, d));
                return new CellResult(cell, positions, r.labels(), r.centroids().data(), r.objective());
            }
        }
    }
}
