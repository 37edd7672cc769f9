package org.unicom4j.cli.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.options.EngineOptions;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyDtype;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.Initialization;
import org.unicom4j.retrieval.kmeans.JointFeatureClustering;
import org.unicom4j.retrieval.kmeans.JointImageTextPoints;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.kmeans.KMeansResult;
import org.unicom4j.retrieval.kmeans.NpyPoints;
import org.unicom4j.spark.points.RowFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code unicom4j cluster}: features -> k-means labels and centroids (Unicom's pseudo-classes, spec section 4). */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"k-means over feature rows (.npy, float16/32/64 [rows, dim]), streamed from disk.",
                "With --text, each row is the Unicom joint feature: the mean of the pair's image and text "
                        + "features, L2-normalised. Writes OUT/labels.npy (one cluster id per row), "
                        + "OUT/centroids.npy (float32 [k, dim]) and OUT/clusters.json.",
                "With --engine spark the same k-means runs on Apache Spark (the master spark-submit gives, --master, "
                        + "or local[*] in this JVM); FEATURES may then also be a folder of .npy shards (name order) "
                        + "or a Parquet table with columns id and embedding."})
public final class ClusterCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FEATURES",
            description = "feature rows (.npy), e.g. image embeddings; with --engine spark also a folder of .npy "
                    + "shards or a Parquet table")
    Path features;

    @Option(names = "--text", paramLabel = "FILE",
            description = "text features paired row by row with FEATURES: cluster the joint image/text feature")
    Path text;

    @Option(names = {"-k", "--clusters"}, required = true, paramLabel = "K", description = "number of clusters")
    int k;

    @Option(names = "--iterations", defaultValue = "25", paramLabel = "N",
            description = "Lloyd updates at most; stops early at a fixed point (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--seed", defaultValue = "1234", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--init", defaultValue = "random", paramLabel = "random|kmeans++",
            description = "first centroids: k random rows, or k-means++ on a sample (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = "--no-normalize", negatable = false,
            description = "cluster FEATURES as stored (by default each row is L2-normalised first)")
    boolean raw;

    @Option(names = "--label-dtype", defaultValue = "int32", paramLabel = "int32|int64",
            description = "dtype of labels.npy (default: ${DEFAULT-VALUE})")
    String labelDtype;

    @Option(names = "--out", defaultValue = "runs/cluster", paramLabel = "DIR",
            description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    BackendOption backend;

    @Mixin
    EngineOptions engine;

    @Option(names = "--coarse", defaultValue = "0", paramLabel = "C",
            description = "with --engine spark: the two-level scheme for very large k: C coarse cells, then each "
                    + "cell's share of k clustered on one executor (default: 0, flat k-means)")
    int coarse;

    @Option(names = "--rows-per-partition", defaultValue = "0", paramLabel = "N",
            description = "with --engine spark: rows of a .npy shard per Spark partition (default: 0, two "
                    + "partitions per task slot, at most 1,000,000 rows each)")
    long rowsPerPartition;

    @Override
    public Integer call() throws Exception {
        KMeansConfig config = config();
        NpyDtype dtype = switch (labelDtype.toLowerCase(Locale.ROOT)) {
            case "int32" -> NpyDtype.INT32;
            case "int64" -> NpyDtype.INT64;
            default -> throw new InvalidInputException("--label-dtype '" + labelDtype
                    + "': expected int32 or int64");
        };
        if (text != null && raw) {
            throw new InvalidInputException("--no-normalize does not apply with --text: the joint feature is "
                    + "normalised by definition");
        }
        boolean spark = engine.spark();
        if (!spark && coarse != 0) {
            throw new InvalidInputException("--coarse needs --engine spark");
        }
        if (coarse < 0 || coarse > k) {
            throw new InvalidInputException("--coarse must be between 1 and -k, got " + coarse);
        }
        if (rowsPerPartition < 0) {
            throw new InvalidInputException("--rows-per-partition must be >= 0, got " + rowsPerPartition);
        }
        long start = System.nanoTime();
        if (!spark) {
            requireFile(features);
        }
        if (text != null && !spark) {
            requireFile(text);
        }
        int[] labels;
        Vectors centroids;
        double[] objectives;
        long rows;
        int dim;
        try (Backend b = backend.open()) {
            if (spark) {
                RowFeature feature = text != null ? RowFeature.JOINT_IMAGE_TEXT : raw ? RowFeature.AS_STORED
                        : RowFeature.NORMALIZED;
                SparkClustering.Outcome outcome = SparkClustering.run(engine.session("unicom4j cluster"), features, text, feature,
                        rowsPerPartition, config, coarse, b, System.err::println);
                labels = outcome.labels();
                centroids = outcome.centroids();
                objectives = outcome.objectives();
                rows = outcome.rows();
                dim = outcome.dim();
            } else {
                KMeansResult result = fitHere(b, config);
                labels = result.labels();
                centroids = result.centroids();
                objectives = result.objectives();
                rows = labels.length;
                dim = centroids.dim();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.createDirectories(out);
        JointFeatureClustering.writeLabels(labels, out.resolve("labels.npy"), dtype);
        JointFeatureClustering.writeCentroids(centroids, out.resolve("centroids.npy"));
        Map<String, Object> summary = summary(labels, objectives, rows, dim, seconds);
        summary.put("engine", spark ? "spark" : "jvm");
        if (coarse > 0) {
            summary.put("coarse_cells", coarse);
        }
        OutputFiles.writeJson(out.resolve("clusters.json"), summary);
        @SuppressWarnings("unchecked")
        Map<String, Object> sizes = (Map<String, Object>) summary.get("cluster_sizes");
        System.out.printf(Locale.ROOT, "%d rows of dim %d -> %d clusters in %d updates, objective %.6e; cluster sizes "
                        + "min %s, median %s, max %s, %s empty; %.1f s%n", rows, dim, k, objectives.length - 1,
                objectives[objectives.length - 1], sizes.get("min"), sizes.get("median"), sizes.get("max"), sizes.get("empty"),
                seconds);
        System.out.println("wrote " + out.resolve("labels.npy") + ", " + out.resolve("centroids.npy") + ", "
                + out.resolve("clusters.json"));
        return 0;
    }

    private KMeansConfig config() {
        if (k < 1 || iterations < 0) {
            throw new InvalidInputException("-k must be >= 1 and --iterations >= 0, got " + k + " and "
                    + iterations);
        }
        Initialization initialization = switch (init.toLowerCase(Locale.ROOT)) {
            case "random" -> Initialization.RANDOM_SAMPLE;
            case "kmeans++", "k-means++" -> Initialization.KMEANS_PLUS_PLUS;
            default -> throw new InvalidInputException("--init '" + init + "': expected random or kmeans++");
        };
        return KMeansConfig.of(k).withIterations(iterations).withSeed(seed).withInit(initialization);
    }

    private KMeansResult fitHere(Backend b, KMeansConfig config) throws java.io.IOException {
        KMeans kMeans = new KMeans(b, config, System.err::println);
        if (text != null) {
            try (JointImageTextPoints points = JointImageTextPoints.open(features, text)) {
                return kMeans.fit(points);
            }
        }
        try (NpyPoints points = NpyPoints.open(features)) {
            return kMeans.fit(raw ? points : new NormalizedRows(points));
        }
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": feature file not found");
        }
    }

    private Map<String, Object> summary(int[] labels, double[] objectives, long rows, int dim, double seconds) {
        int[] sizes = new int[k];
        for (int label : labels) {
            sizes[label]++;
        }
        int[] sorted = sizes.clone();
        Arrays.sort(sorted);
        Map<String, Object> sizeStats = new LinkedHashMap<>();
        sizeStats.put("min", sorted[0]);
        sizeStats.put("median", sorted[k / 2]);
        sizeStats.put("max", sorted[k - 1]);
        sizeStats.put("empty", Arrays.stream(sizes).filter(s -> s == 0).count());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("features", features.toString());
        s.put("text", text == null ? null : text.toString());
        s.put("feature", text != null ? "joint image/text, L2-normalised" : raw ? "as stored" : "L2-normalised");
        s.put("rows", rows);
        s.put("dim", dim);
        s.put("k", k);
        s.put("seed", seed);
        s.put("init", init);
        s.put("updates", objectives.length - 1);
        s.put("objective", objectives[objectives.length - 1]);
        s.put("objectives", objectives);
        s.put("cluster_sizes", sizeStats);
        s.put("seconds", seconds);
        return s;
    }
}
