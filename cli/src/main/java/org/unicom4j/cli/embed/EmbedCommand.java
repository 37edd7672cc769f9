package org.unicom4j.cli.embed;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unicom4j.api.dataset.DatasetEmbedder;
import org.unicom4j.cli.embedding.EmbeddingManifest;
import org.unicom4j.cli.embedding.EmbeddingProgress;
import org.unicom4j.cli.embedding.EmbeddingSet;
import org.unicom4j.cli.embedding.EmbeddingWriter;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.options.BadImageOptions;
import org.unicom4j.cli.options.ImageSourceOptions;
import org.unicom4j.cli.options.ModelOptions;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.loader.BadImage;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.kernels.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code unicom4j embed}: images -> embeddings.npy (float32 rows, raw model output) + manifest + embed.json. */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Embed labelled images with a Unicom ViT.",
                "Writes OUT/embeddings.npy (float32 [images, dim], the model's raw output: normalise before "
                        + "comparing), OUT/manifest.csv (row,path,label,class,split) and OUT/embed.json."})
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
        ImageSource source = images.open(badImages.maxImagePixels());
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
}
