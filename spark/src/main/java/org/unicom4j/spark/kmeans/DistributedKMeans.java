package org.unicom4j.spark.kmeans;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.EmptyClusters;
import org.unicom4j.retrieval.kmeans.InitialCentroids;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.LloydIterations;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.spark.ExecutorBackends;
import org.unicom4j.spark.OrderedFold;
import org.unicom4j.spark.points.PointBlocks;

/**
 * Lloyd's k-means over {@link PointBlocks} on Spark, step for step the single-machine {@link KMeans}: the same
 * first centroids ({@link InitialCentroids}, rows fetched by position), then per iteration one broadcast of the
 * centroids, an assignment pass on the executors with the same search ({@link AssignTask}), per-cluster sums and
 * counts merged in partition order ({@link PassStats}, {@link OrderedFold}), the means, and empty clusters
 * re-seeded by {@link EmptyClusters}; it stops after {@link KMeansConfig#iterations()} updates or at a pass that
 * changes no label ({@link LloydIterations}, the loop KMeans runs). Means are double sums divided once (KMeans keeps running means in float), so centroids agree
 * with KMeans's to float rounding and labels agree unless a row is that close to a tie.
 *
 * <p>Each pass's labels and distances are cached per block (8 bytes a row) and the previous pass's dropped, so the
 * next pass can count changed labels. A pass's cached labels descend from every earlier pass (a lost block is
 * recomputed through them), so the centroid broadcasts live until the result is closed; the executors' copies of
 * an old one are dropped after its pass.
 */
public final class DistributedKMeans {
    /** Partitions merged on the driver before merging moves to the executors in groups. */
    static final int FOLD_FANOUT = 16;

    private final KMeansConfig config;
    private final String backend;
    private final Consumer<String> progress;

    /**
     * @param backend  the backend each executor task borrows (ExecutorBackends), and the driver for k-means++
     * @param progress one line per pass
     */
    public DistributedKMeans(KMeansConfig config, String backend, Consumer<String> progress) {
        this.config = config;
        this.backend = backend;
        this.progress = progress;
    }

    public DistributedKMeansResult fit(PointBlocks points) {
        long n = points.rows();
        int k = config.k(), d = points.dim();
        if (n < k) {
            throw new InvalidInputException("k-means: " + n + " points for k = " + k + "; expected k <= points");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(points.rdd().context());
        long t0 = System.nanoTime();
        Vectors centroids;
        try (ExecutorBackends.Lease lease = ExecutorBackends.borrow(backend)) {
            centroids = InitialCentroids.choose(lease.backend(), config, n, points::gather);
        }
        progress.accept(String.format("k-means on spark: %,d points of dim %d in %d partitions, k = %,d, %s init in "
                + "%.1f s, %s on the executors", n, d, points.partitions(), k, config.init(),
                (System.nanoTime() - t0) / 1e9, backend));
        List<Broadcast<float[]>> broadcasts = new ArrayList<>();
        Passes passes = new Passes(sc, points, broadcasts, (int) Math.min(n, 2L * k));
        try {
            LloydIterations.Outcome outcome = LloydIterations.run(passes, centroids, config.iterations(), n, progress);
            return new DistributedKMeansResult(outcome.centroids(), outcome.objectives(), outcome.reseeded(),
                    passes.last.counts, points, passes.assigned, broadcasts);
        } catch (RuntimeException | Error e) {
            passes.assigned.unpersist(false);
            broadcasts.forEach(b -> b.destroy(false));
            throw e;
        }
    }

    /** The passes on the cluster: each one's labels cached, its sums merged in partition order. */
    private final class Passes implements LloydIterations.Engine {
        private final JavaSparkContext sc;
        private final PointBlocks points;
        private final List<Broadcast<float[]>> broadcasts;
        private final int candidates;
        JavaRDD<BlockAssignment> assigned;
        PassStats last;

        Passes(JavaSparkContext sc, PointBlocks points, List<Broadcast<float[]>> broadcasts, int candidates) {
            this.sc = sc;
            this.points = points;
            this.broadcasts = broadcasts;
            this.candidates = candidates;
            this.assigned = points.rdd().map(b -> BlockAssignment.unassigned(b.rows()));
        }

        @Override
        public LloydIterations.Pass assign(Vectors centroids) {
            Broadcast<float[]> current = sc.broadcast(centroids.data());
            broadcasts.add(current);
            JavaRDD<BlockAssignment> next = assignmentPass(points, assigned, current, centroids.rows(),
                    centroids.dim());
            last = OrderedFold.fold(statsOf(points, next, centroids.rows(), centroids.dim(), candidates),
                    PassStats::merge, FOLD_FANOUT);
            assigned.unpersist(false);
            assigned = next;
            current.unpersist(false);
            return new LloydIterations.Pass(last.objective, last.changed);
        }

        @Override
        public Vectors update(Vectors centroids, int[] emptyAndReseeded) {
            return DistributedKMeans.update(points, centroids, last, emptyAndReseeded);
        }
    }

    /** The pass against {@code centroids}, cached; computed by the first job that reads it. */
    private JavaRDD<BlockAssignment> assignmentPass(PointBlocks points, JavaRDD<BlockAssignment> previous,
                                                    Broadcast<float[]> centroids, int k, int d) {
        String backendName = backend;
        int centroidChunk = config.centroidChunk(), queryBatch = config.queryBatch();
        JavaRDD<BlockAssignment> next = points.rdd().zipPartitions(previous, (blocks, before) -> AssignTask.run(
                blocks, before, new Vectors(centroids.value(), k, d), backendName, centroidChunk, queryBatch));
        return next.persist(StorageLevel.MEMORY_AND_DISK());
    }

    private static JavaRDD<PassStats> statsOf(PointBlocks points, JavaRDD<BlockAssignment> assigned, int k, int d,
                                              int candidates) {
        long[] starts = points.starts();
        return points.rdd().zipPartitions(assigned, (blocks, labels) -> List.of(PassStats.ofPartition(blocks, labels,
                starts[TaskContext.getPartitionId()], k, d, candidates)).iterator());
    }

    /** Means of the non-empty clusters; empty ones re-seeded with rows fetched by position. */
    private static Vectors update(PointBlocks points, Vectors old, PassStats pass, int[] emptyAndReseeded) {
        int k = old.rows(), d = old.dim();
        float[] next = old.data().clone();
        for (int c = 0; c < k; c++) {
            if (pass.counts[c] > 0) {
                pass.copyMean(c, next);
            }
        }
        List<EmptyClusters.Reseed> reseeds = EmptyClusters.choose(pass.counts, pass.farthestFirst());
        if (!reseeds.isEmpty()) {
            long[] positions = reseeds.stream().mapToLong(EmptyClusters.Reseed::point).sorted().toArray();
            Vectors rows = points.gather(positions);
            for (EmptyClusters.Reseed r : reseeds) {
                int i = Arrays.binarySearch(positions, r.point());
                System.arraycopy(rows.data(), i * d, next, r.cluster() * d, d);
            }
        }
        emptyAndReseeded[0] = EmptyClusters.countEmpty(pass.counts);
        emptyAndReseeded[1] = reseeds.size();
        return new Vectors(next, k, d);
    }
}
