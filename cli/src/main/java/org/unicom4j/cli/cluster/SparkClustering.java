package org.unicom4j.cli.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.spark.kmeans.DistributedKMeans;
import org.unicom4j.spark.kmeans.DistributedKMeansResult;
import org.unicom4j.spark.kmeans.TwoLevelKMeans;
import org.unicom4j.spark.points.PointBlocks;
import org.unicom4j.spark.points.RowFeature;

/**
 * {@code cluster --engine spark}: the same k-means on Spark ({@link DistributedKMeans}, or {@link TwoLevelKMeans}
 * with {@code --coarse}) in the session {@code --engine}/{@code --master} gave. FEATURES is a {@code .npy}, a folder of {@code .npy}
 * shards (taken in name order), or a Parquet table with columns {@code id} and {@code embedding}.
 */
final class SparkClustering {
    /** What one run hands back to the command: the labels in row order and the run's outcome. */
    record Outcome(int[] labels, Vectors centroids, double[] objectives, long rows, int dim) {
    }

    private SparkClustering() {
    }

    /** {@code cells} > 0: the two-level scheme with that many coarse cells ({@link TwoLevelKMeans}). */
    static Outcome run(SparkSession spark, Path features, Path text, RowFeature feature, long rowsPerPartition,
                       KMeansConfig config, int cells, Backend driverBackend, Consumer<String> progress)
            throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        progress.accept("spark " + spark.version() + " on " + sc.master() + " (" + sc.defaultParallelism()
                + " task slots)");
        PointBlocks points;
        if (isParquet(features)) {
            if (text != null) {
                throw new InvalidInputException("--text with a Parquet table: put both vectors in the table and use "
                        + "the library (PointBlocks.fromDataset with a text column)");
            }
            points = PointBlocks.fromDataset(spark.read().parquet(features.toString()), "id", "embedding", null,
                    feature);
        } else {
            points = PointBlocks.fromNpyShards(sc, shards(features), text == null ? null : shards(text), feature,
                    rowsPerPartition);
        }
        // The executors open the backend auto chose here (cpu with spark.task.cpus threads each, or opencl).
        if (cells > 0) {
            try (points) {
                TwoLevelKMeans.Result r = new TwoLevelKMeans(config, cells, driverBackend.name(), progress)
                        .fit(points);
                return new Outcome(r.labels(), r.centroids(), new double[] {r.objective()}, points.rows(),
                        points.dim());
            }
        }
        try (points; DistributedKMeansResult result = new DistributedKMeans(config, driverBackend.name(), progress)
                .fit(points)) {
            return new Outcome(result.labels(), result.centroids(), result.objectives(), points.rows(), points.dim());
        }
    }

    static boolean isParquet(Path features) throws IOException {
        if (features.toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return true;
        }
        if (!Files.isDirectory(features)) {
            return false;
        }
        try (Stream<Path> s = Files.list(features)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
        }
    }

    /** A {@code .npy} file, or the {@code .npy} files of a folder in name order. */
    static List<Path> shards(Path features) throws IOException {
        if (!Files.isDirectory(features)) {
            if (!Files.isRegularFile(features)) {
                throw new InvalidInputException(features + ": feature file not found");
            }
            return List.of(features);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(features)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".npy") && Files.isRegularFile(p)).sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(features + ": no .npy shards in this folder");
        }
        return files;
    }
}
