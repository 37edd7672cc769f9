package org.unicom4j.cli.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unicom4j.api.Thumbnails;
import org.unicom4j.api.dataset.ItemImages;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.options.BadImageOptions;
import org.unicom4j.cli.options.ModelOptions;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.InvalidImageException;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.ImageEncoder;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.lucene.IndexHit;
import org.unicom4j.retrieval.lucene.IndexMeta;
import org.unicom4j.retrieval.lucene.PersistentVectorIndex;
import org.unicom4j.retrieval.lucene.VectorIndexReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code unicom4j search}: query images against an index -> a table, results.json and results.html. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find the indexed images nearest to each query image (cosine similarity, HNSW).",
                "The queries are embedded with the model the index was built with (checked by model id). Prints "
                        + "a table and writes OUT/results.json and OUT/results.html (thumbnails inline).",
                "Reads the index's last commit without locking it, so it can run while 'index' is adding to it.",
                "With --code-index (made by 'index --code-index' from an SSCQ model): the queries' continuous "
                        + "features against the stored codes by a code distance (named in the output; score = "
                        + "distance, smaller is nearer)."})
public final class SearchCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "query image files, or folders of them")
    List<Path> queries;

    @Option(names = "--index", paramLabel = "DIR", description = "index folder made by 'index'")
    Path index;

    @Option(names = "--code-index", paramLabel = "FILE", description = "a code index made by 'index --code-index'")
    Path codeIndex;

    @Option(names = "--distance", paramLabel = "NAME",
            description = "--code-index: asymmetric-squared-l2, asymmetric-l2-sum (the SSCQ reference's), "
                    + "symmetric-squared-l2 or symmetric-l2-sum (default: the index's)")
    String distance;

    @Mixin
    ModelOptions model;

    @Option(names = "-k", defaultValue = "10", paramLabel = "K", description = "hits per query (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--candidates", defaultValue = "100", paramLabel = "N",
            description = "HNSW candidates explored per query, at least K; more finds more of the true nearest "
                    + "(default: ${DEFAULT-VALUE})")
    int candidates;

    @Option(names = "--thumbnail", defaultValue = "96", paramLabel = "PX",
            description = "thumbnail size in the HTML page (default: ${DEFAULT-VALUE})")
    int thumbnail;

    @Option(names = "--out", defaultValue = "runs/search", paramLabel = "DIR",
            description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    BadImageOptions badImages;

    @Mixin
    BackendOption backend;

    /** Each query's and hit's thumbnail (a data URI) by path, for the HTML page. */
    final Map<String, String> thumbnails = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        LuceneLogging.quiet();
        if (k < 1 || thumbnail < 8) {
            throw new InvalidInputException("-k must be >= 1 and --thumbnail >= 8, got " + k + " and " + thumbnail);
        }
        if ((index == null) == (codeIndex == null)) {
            throw new InvalidInputException("give one of --index DIR and --code-index FILE");
        }
        if (codeIndex != null) {
            return new CodeIndexSearch(this).run();
        }
        if (distance != null) {
            throw new InvalidInputException("--distance belongs to --code-index");
        }
        List<Path> files = QueryImages.expand(queries);
        BadImagePolicy policy = badImages.policy();
        long maxPixels = badImages.maxImagePixels();
        IndexMeta meta = PersistentVectorIndex.readMeta(index);
        model.validate();
        List<float[]> embedded;
        String modelId;
        try (Backend b = backend.open(); LoadedModel loaded = model.load(b)) {
            modelId = loaded.id();
            if (!modelId.equals(meta.modelId()) || loaded.dim() != meta.dim()) {
                throw new InvalidInputException("index " + index + " holds dim " + meta.dim() + " embeddings of "
                        + "model '" + meta.modelId() + "'; the query model is '" + modelId + "' with dim "
                        + loaded.dim() + " (give the index's weights, or its --model-id)");
            }
            List<Path> kept = new ArrayList<>();
            embedded = embed(loaded, files, policy, maxPixels, kept, thumbnails);
            files = kept;
        }
        List<QueryResult> results = new ArrayList<>();
        try (VectorIndexReader target = VectorIndexReader.open(index)) {
            for (int q = 0; q < files.size(); q++) {
                results.add(new QueryResult(id(files.get(q)), target.search(L2Norm.unitRow(embedded.get(q), 0,
                        embedded.get(q).length), k, Math.max(k, candidates))));
            }
        }
        write(results, files.size(), index.toString(), modelId, "score", Map.of());
        return 0;
    }

    /** Prints the table and writes results.json and results.html; {@code extra} goes into the JSON. */
    void write(List<QueryResult> results, int queryCount, String source, String modelId, String scoreName,
               Map<String, Object> extra) throws IOException {
        printTable(results, scoreName);
        ItemImages items = new ItemImages(badImages.maxImagePixels());
        for (QueryResult r : results) {
            for (IndexHit hit : r.hits()) {
                thumbnails.computeIfAbsent(hit.path(), path -> thumbnailOrNull(items, path));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("index", source);
        json.put("model_id", modelId);
        json.put("k", k);
        json.putAll(extra);
        json.put("results", results);
        OutputFiles.writeJson(out.resolve("results.json"), json);
        OutputFiles.writeText(out.resolve("results.html"), SearchPage.render("unicom4j search: " + queryCount
                + " quer" + (queryCount == 1 ? "y" : "ies") + " against " + source, results, thumbnails, thumbnail));
        System.out.println("wrote " + out.resolve("results.json") + " and " + out.resolve("results.html"));
    }

    /**
     * Decodes, preprocesses and embeds the queries in batches; raw embeddings in order, one per query in
     * {@code kept}. A query that cannot be decoded or is over the pixel limit (refused from its header, unread)
     * stops the command, or is named on stderr and left out, per {@code --on-bad-image}.
     */
    List<float[]> embed(LoadedModel loaded, List<Path> files, BadImagePolicy policy, long maxPixels,
                        List<Path> kept, Map<String, String> thumbnails) throws IOException {
        int dim = loaded.dim(), floats = loaded.preprocessing().outputSize();
        int batch = Math.min(model.batch(), files.size());
        List<float[]> out = new ArrayList<>();
        try (ImageEncoder embedder = loaded.encoder(batch)) {
            float[] pixels = new float[batch * floats];
            int n = 0;
            for (Path file : files) {
                PixelImage image;
                try {
                    image = ImageDecoder.decode(file, maxPixels);
                } catch (InvalidImageException e) {
                    if (policy == BadImagePolicy.STOP) {
                        throw e;
                    }
                    System.err.println("skipped query " + e.getMessage());
                    continue;
                }
                kept.add(file);
                thumbnails.put(id(file), Thumbnails.dataUri(image, thumbnail));
                loaded.preprocessing().apply(image, null, pixels, n * floats);
                if (++n == batch) {
                    embedRows(embedder, pixels, n, dim, out);
                    n = 0;
                }
            }
            if (n > 0) {
                embedRows(embedder, Arrays.copyOf(pixels, n * floats), n, dim, out);
            }
        }
        if (kept.isEmpty()) {
            throw new InvalidInputException("no query image could be decoded (all " + files.size() + " skipped)");
        }
        return out;
    }

    private static void embedRows(ImageEncoder embedder, float[] pixels, int n, int dim, List<float[]> out) {
        float[] rows = embedder.embed(pixels, n);
        for (int i = 0; i < n; i++) {
            out.add(Arrays.copyOfRange(rows, i * dim, (i + 1) * dim));
        }
    }

    private void printTable(List<QueryResult> results, String scoreName) {
        for (QueryResult r : results) {
            System.out.println("query " + r.query());
            System.out.printf(Locale.ROOT, "  %4s  %8s  %6s  %s%n", "rank", scoreName, "label", "path");
            int rank = 1;
            for (IndexHit hit : r.hits()) {
                System.out.printf(Locale.ROOT, "  %4d  %8.4f  %6d  %s%n", rank++, hit.score(), hit.label(), hit.path());
            }
        }
    }

    private String thumbnailOrNull(ItemImages items, String path) {
        try {
            return Thumbnails.dataUri(items.load(path), thumbnail);
        } catch (IOException | RuntimeException e) {
            return null; // the page shows "no image" for an indexed file that has moved or cannot be read
        }
    }

    private static String id(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }
}
