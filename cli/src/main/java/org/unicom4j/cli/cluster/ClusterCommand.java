package org.unicom4j.cli.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.data.npy.NpyDtype;
import org.unicom4j.data.npy.NpyRowWriter;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.kmeans.Initialization;
import org.unicom4j.retrieval.kmeans.JointImageTextPoints;
import org.unicom4j.retrieval.kmeans.KMeans;
import org.unicom4j.retrieval.kmeans.KMeansConfig;
import org.unicom4j.retrieval.kmeans.KMeansResult;
import org.unicom4j.retrieval.kmeans.NpyPoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code unicom4j cluster}: features -> k-means labels and centroids (Unicom's pseudo-classes, spec section 4). */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"k-means over feature rows (.npy, float16/32/64 [rows, dim]), streamed from disk.",
                "With --text, each row is the Unicom joint feature: the mean of the pair's image and text "
                        + "features, L2-normalised. Writes OUT/labels.npy (one cluster id per row), "
                        + "OUT/centroids.npy (float32 [k, dim]) and OUT/clusters.json."})
public final class ClusterCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FEATURES", description = "feature rows (.npy), e.g. image embeddings")
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
        long start = System.nanoTime();
        requireFile(features);
        if (text != null) {
            requireFile(text);
        }
        KMeansResult result;
        long rows;
        int dim;
        try (Backend b = backend.open()) {
            KMeans kMeans = new KMeans(b, config, System.err::println);
            if (text != null) {
                try (JointImageTextPoints points = JointImageTextPoints.open(features, text)) {
                    rows = points.size();
                    dim = points.dim();
                    result = kMeans.fit(points);
                }
            } else {
                try (NpyPoints points = NpyPoints.open(features)) {
                    rows = points.size();
                    dim = points.dim();
                    result = kMeans.fit(raw ? points : new NormalizedRows(points));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.createDirectories(out);
        writeLabels(result.labels(), out.resolve("labels.npy"), dtype);
        writeCentroids(result.centroids(), out.resolve("centroids.npy"));
        Map<String, Object> summary = summary(result, rows, dim, seconds);
        OutputFiles.writeJson(out.resolve("clusters.json"), summary);
        @SuppressWarnings("unchecked")
        Map<String, Object> sizes = (Map<String, Object>) summary.get("cluster_sizes");
        System.out.printf(Locale.ROOT, "%d rows of dim %d -> %d clusters in %d updates, objective %.6e; cluster sizes "
                        + "min %s, median %s, max %s, %s empty; %.1f s%n", rows, dim, k, result.iterations(),
                result.objective(), sizes.get("min"), sizes.get("median"), sizes.get("max"), sizes.get("empty"),
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

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": feature file not found");
        }
    }

    private Map<String, Object> summary(KMeansResult result, long rows, int dim, double seconds) {
        int[] sizes = new int[k];
        for (int label : result.labels()) {
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
        s.put("updates", result.iterations());
        s.put("objective", result.objective());
        s.put("objectives", result.objectives());
        s.put("cluster_sizes", sizeStats);
        s.put("seconds", seconds);
        return s;
    }

    static void writeLabels(int[] labels, Path file, NpyDtype dtype) throws java.io.IOException {
        if (dtype == NpyDtype.INT32) {
            NpyArray.ofInts(labels, labels.length).write(file);
        } else {
            NpyArray.ofLongs(Arrays.stream(labels).asLongStream().toArray(), labels.length).write(file);
        }
    }

    /** In blocks of rows, so no second k x dim copy is made. */
    static void writeCentroids(Vectors centroids, Path file) throws java.io.IOException {
        int block = Math.max(1, (1 << 22) / centroids.dim());
        try (NpyRowWriter writer = NpyRowWriter.create(file, NpyDtype.FLOAT32, centroids.dim())) {
            for (int first = 0; first < centroids.rows(); first += block) {
                writer.writeRows(centroids.data(), first * centroids.dim(), Math.min(block, centroids.rows() - first));
            }
            writer.finish();
        }
    }
}
