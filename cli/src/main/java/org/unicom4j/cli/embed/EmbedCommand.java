package org.unicom4j.cli.embed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unicom4j.api.dataset.DatasetEmbedder;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.cli.embedding.EmbeddingProgress;
import org.unicom4j.cli.embedding.EmbeddingWriter;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.options.BadImageOptions;
import org.unicom4j.cli.options.ImageSourceOptions;
import org.unicom4j.cli.options.ModelOptions;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.loader.BadImage;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.retrieval.embeddings.EmbeddingManifest;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
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
        ImageSource source = images.open(badImages.maxImagePixels());
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
            info.put("output", rows.name().toLowerCase(Locale.ROOT));
            info.put("dim", loaded.dim());
            info.put("seconds", (System.nanoTime() - start) / 1e9);
            writer.finish(info);
            return info;
        }
    }
}
