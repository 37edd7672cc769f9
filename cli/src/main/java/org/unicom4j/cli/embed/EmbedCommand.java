package org.unicom4j.cli.embed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.api.dataset.DatasetEmbedder;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.cli.embedding.EmbeddingProgress;
import org.unicom4j.cli.embedding.EmbeddingWriter;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.options.BadImageOptions;
import org.unicom4j.cli.options.EngineOptions;
import org.unicom4j.cli.options.ImageSourceOptions;
import org.unicom4j.cli.options.ModelOptions;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.loader.BadImage;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.retrieval.embeddings.EmbeddingManifest;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.spark.embed.DistributedEmbedding;
import org.unicom4j.spark.embed.EmbedReport;
import org.unicom4j.spark.embed.EmbedSettings;
import org.unicom4j.spark.embed.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code unicom4j embed}: images -> embeddings.npy (float32 rows, raw model output) + manifest + embed.json. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Embed labelled images with a Unicom ViT, or with an SSCQ model (its continuous features).",
                "Writes OUT/embeddings.npy (float32 [images, dim], the model's raw output: normalise before "
                        + "comparing), OUT/manifest.csv (row,path,label,class,split) and OUT/embed.json.",
                "With --engine spark the images are embedded on Apache Spark (the master spark-submit gives, "
                        + "--master, or local[*] in this JVM), each executor loading the model once; the same files, "
                        + "or with --format parquet OUT/embeddings.parquet (id, path, label, embedding)."})
public final class EmbedCommand implements Callable<Integer> {

    @Mixin
    ImageSourceOptions images;

    @Mixin
    ModelOptions model;

    @Mixin
    BackendOption backend;

    @Option(names = "--out", defaultValue = "runs/embed", paramLabel = "DIR",
            description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--output", defaultValue = "embedding", paramLabel = "embedding|tokens",
            description = "what a row holds: the model's embedding, or the tokens its head projects (the final "
                    + "LayerNorm's output flattened token-major, tokens x width: features for a head trained on "
                    + "them, unicom4j train with method head) (default: ${DEFAULT-VALUE})")
    String output;

    @Option(names = "--manifest-format", defaultValue = "csv", paramLabel = "csv|jsonl",
            description = "manifest as CSV or JSON lines (default: ${DEFAULT-VALUE})")
    String manifestFormat;

    @Mixin
    BadImageOptions badImages;

    @Mixin
    EngineOptions engine;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "with --engine spark: partitions of the image list (default: 0, two per task slot)")
    int partitions;

    @Option(names = "--format", defaultValue = "npy", paramLabel = "npy|parquet",
            description = "with --engine spark: npy (the files above) or parquet (default: ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() throws Exception {
        String manifestName = switch (manifestFormat.toLowerCase(Locale.ROOT)) {
            case "csv" -> EmbeddingSet.MANIFEST_CSV;
            case "jsonl" -> EmbeddingSet.MANIFEST_JSONL;
            default -> throw new InvalidInputException("--manifest-format '" + manifestFormat
                    + "': expected csv or jsonl");
        };
        VitEmbedder.Output rows = switch (output.toLowerCase(Locale.ROOT)) {
            case "embedding" -> VitEmbedder.Output.EMBEDDING;
            case "tokens" -> VitEmbedder.Output.TOKENS;
            default -> throw new InvalidInputException("--output '" + output + "': expected embedding or tokens");
        };
        BadImagePolicy policy = badImages.policy();
        model.validate();
        boolean spark = engine.spark();
        boolean parquet = switch (format.toLowerCase(Locale.ROOT)) {
            case "npy" -> false;
            case "parquet" -> true;
            default -> throw new InvalidInputException("--format '" + format + "': expected npy or parquet");
        };
        if (!spark && (parquet || partitions != 0)) {
            throw new InvalidInputException("--format and --partitions need --engine spark");
        }
        if (spark && !images.areFiles()) {
            throw new InvalidInputException("--engine spark embeds image files; --idx images live in one file: "
                    + "embed them with --engine jvm");
        }
        if (spark && rows == VitEmbedder.Output.TOKENS) {
            throw new InvalidInputException("--output tokens runs with --engine jvm (a head's features are cached on "
                    + "one machine)");
        }
        if (partitions < 0) {
            throw new InvalidInputException("--partitions must be >= 0, got " + partitions);
        }
        ImageSource source = images.open(badImages.maxImagePixels());
        if (spark) {
            return onSpark(source, manifestName, policy, parquet);
        }
        long start = System.nanoTime();
        try (Backend b = backend.open(); LoadedModel loaded = model.load(b)) {
            System.err.println("model " + loaded.describe() + " on " + b.description());
            Map<String, Object> info = write(loaded, rows, source, out, manifestName, model.batch(),
                    model.loaderThreads(), policy);
            System.out.printf(Locale.ROOT, "embedded %d images (%d skipped) of %s to %s [%d x %d] in %.1f s%n",
                    (Integer) info.get("images"), ((List<?>) info.get("skipped")).size(), source.description(),
                    out.resolve(EmbeddingSet.EMBEDDINGS), (Integer) info.get("images"), (Integer) info.get("dim"),
                    (System.nanoTime() - start) / 1e9);
            System.out.println("manifest: " + out.resolve(manifestName)
                    + (EmbeddingManifest.isJsonLines(out.resolve(manifestName)) ? " (JSON lines)" : ""));
        }
        return 0;
    }

    private int onSpark(ImageSource source, String manifestName, BadImagePolicy policy, boolean parquet)
            throws Exception {
        long start = System.nanoTime();
        SparkSession session = engine.session("unicom4j embed");
        EmbedSettings settings = new EmbedSettings(ModelSpec.of(model.source()), backend.name(), model.batch(),
                badImages.maxImagePixels(), policy);
        ImageEmbedder here = DistributedEmbedding.embedderHere(settings);
        System.err.println("model " + here.description() + "; spark " + session.version() + " on "
                + session.sparkContext().master());
        int slices = partitions > 0 ? partitions : 2 * session.sparkContext().defaultParallelism();
        Dataset<Row> table = SparkEmbedding.table(session, source, slices);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model_id", here.modelId());
        info.put("model", here.description());
        info.put("source", source.description());
        info.put("engine", "spark");
        EmbedReport report;
        Path written;
        if (parquet) {
            written = out.resolve("embeddings.parquet");
            report = new DistributedEmbedding(settings).writeParquet(table, written.toString());
            info.put("images", report.embedded());
            info.put("skipped", report.firstSkipped());
            info.put("skipped_count", report.skipped());
            info.put("dim", here.dim());
            info.put("seconds", (System.nanoTime() - start) / 1e9);
            OutputFiles.writeJson(out.resolve(EmbeddingSet.INFO), info);
        } else {
            written = out.resolve(EmbeddingSet.EMBEDDINGS);
            try (EmbeddingWriter writer = new EmbeddingWriter(out, manifestName, source, here.dim())) {
                report = SparkEmbedding.toNpy(table, settings, out, writer);
                info.put("images", writer.rows());
                info.put("skipped", report.firstSkipped());
                info.put("skipped_count", report.skipped());
                info.put("dim", here.dim());
                info.put("seconds", (System.nanoTime() - start) / 1e9);
                writer.finish(info);
            }
        }
        System.out.printf(Locale.ROOT, "embedded %d images (%d skipped) of %s to %s [%d x %d] in %.1f s on spark%n",
                report.embedded(), report.skipped(), source.description(), written, report.embedded(), here.dim(),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /**
     * Embeds {@code source} with {@code model}, into its embeddings or {@link LoadedModel#tokens()}, into {@code out}
     * (embeddings.npy, the manifest, embed.json; the rows moved into place last) and returns what embed.json says.
     * Progress goes to stderr.
     */
    public static Map<String, Object> write(LoadedModel model, VitEmbedder.Output rows, ImageSource source, Path out,
                                            String manifestName, int batch, int threads, BadImagePolicy policy)
            throws IOException {
        long start = System.nanoTime();
        LoadedModel loaded = rows == VitEmbedder.Output.TOKENS ? model.tokens() : model;
        try (EmbeddingWriter writer = new EmbeddingWriter(out, manifestName, source, loaded.dim())) {
            List<BadImage> bad = DatasetEmbedder.embed(loaded, source, batch, threads, policy, System.err,
                    EmbeddingProgress.on(System.err, source), writer);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("model_id", loaded.id());
            info.put("model", loaded.shape());
            info.put("preprocessing", loaded.preprocessing().toString());
            info.put("source", source.description());
            info.put("images", writer.rows());
            info.put("skipped", bad.stream().map(BadImage::toString).toList());
            if (loaded.sscq() != null) {
                info.put("sscq", loaded.sscq().config());
                info.put("output", "SSCQ features f (the continuous queries of its codes; not normalised)");
            } else {
                info.put("output", rows.name().toLowerCase(Locale.ROOT));
            }
            info.put("dim", loaded.dim());
            info.put("seconds", (System.nanoTime() - start) / 1e9);
            writer.finish(info);
            return info;
        }
    }
}
