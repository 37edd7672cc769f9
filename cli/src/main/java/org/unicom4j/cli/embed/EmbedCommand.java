package org.unicom4j.cli.embed;

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
import org.unicom4j.cli.embedding.EmbeddingManifest;
import org.unicom4j.cli.embedding.EmbeddingProgress;
import org.unicom4j.cli.embedding.EmbeddingSet;
import org.unicom4j.cli.embedding.EmbeddingWriter;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.api.model.LoadedModel;
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
import org.unicom4j.spark.embed.DistributedEmbedding;
import org.unicom4j.spark.embed.EmbedReport;
import org.unicom4j.spark.embed.EmbedSettings;
import org.unicom4j.spark.embed.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code unicom4j embed}: images -> embeddings.npy (float32 rows, raw model output) + manifest + embed.json. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Embed labelled images with a Unicom ViT.",
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
        if (partitions < 0) {
            throw new InvalidInputException("--partitions must be >= 0, got " + partitions);
        }
        ImageSource source = images.open(badImages.maxImagePixels());
        if (spark) {
            return onSpark(source, manifestName, policy, parquet);
        }
        long start = System.nanoTime();
        try (Backend b = backend.open(); LoadedModel loaded = model.load(b);
             EmbeddingWriter writer = new EmbeddingWriter(out, manifestName, source, loaded.config().embedding())) {
            System.err.println("model " + loaded.describe() + " on " + b.description());
            List<BadImage> bad = DatasetEmbedder.embed(loaded, source, model.batch(), model.loaderThreads(), policy,
                    System.err, EmbeddingProgress.on(System.err, source), writer);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("model_id", loaded.id());
            info.put("model", loaded.config());
            info.put("source", source.description());
            info.put("images", writer.rows());
            info.put("skipped", bad.stream().map(BadImage::toString).toList());
            info.put("dim", loaded.config().embedding());
            info.put("seconds", seconds);
            writer.finish(info);
            System.out.printf(Locale.ROOT, "embedded %d images (%d skipped) of %s to %s [%d x %d] in %.1f s%n",
                    writer.rows(), bad.size(), source.description(), out.resolve(EmbeddingSet.EMBEDDINGS),
                    writer.rows(), loaded.config().embedding(), seconds);
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
}
