package org.unicom4j.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.api.model.ModelLoader;
import org.unicom4j.cli.assemble.Assembly;
import org.unicom4j.cli.embed.EmbedCommand;
import org.unicom4j.cli.options.ImageSourceOptions;
import org.unicom4j.cli.report.MetricsTable;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.io.FileTrees;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.model.checkpoint.ModelId;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.run.ProgressLine;
import org.unicom4j.training.run.StageResult;
import org.unicom4j.training.run.TrainingRun;

/**
 * {@code unicom4j demo --method unifex} (spec unifex.md): Fashion-MNIST assembled as a multi-domain set from its class
 * groups ({@link FashionMnistGroups}: separate sources with label offsets, both splits, as CSVs of PNG files), the
 * Unicom demo's saved ViT as a frozen backbone, its features of the assembled sets cached once, and a 64-d projection head trained on them with every loss of the margin-loss family, beside
 * the frozen features without a head and PCA to 64-d; a table (Recall@1, mAP@R, mMP@5, training seconds), report.json
 * and neighbour grids, in OUT/unifex. The heads read the tokens the backbone's own head projects (the backbone's
 * 128-d embedding holds too little for a linear head to beat it: docs/RESULTS.md), each composed with the backbone
 * into one model file.
 */
final class UnifexDemo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLUMNS = List.of("R@1", "R@2", "R@4", "R@8", "mAP@R", "mMP@5");
    /** The heads of the table: each loss at its paper's defaults, and the best recipe found (docs/RESULTS.md). */
    static final Map<String, String> HEADS = heads();

    private UnifexDemo() {
    }

    private static Map<String, String> heads() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("subcenter-unicom", "{\"type\": \"subcenter-arcface\", \"scale\": 32, \"margin\": 0.3, "
                + "\"marginGradient\": \"straight-through\"}");
        for (String type : List.of("arcface", "cosface", "subcenter-arcface", "dynamic-arcface", "adacos",
                "curricularface", "adaface", "li-arcface")) {
            h.put(type, "{\"type\": \"" + type + "\"}");
        }
        return h;
    }

    /**
     * Runs the demo on the Fashion-MNIST files in {@code data} with the backbone {@code backbone} (the Unicom demo's
     * OUT/unicom/model.safetensors), writing into {@code out}.
     */
    static void run(Path data, Path backbone, Path out, String backendName, long seed, int epochs, int batch)
            throws IOException {
        if (!Files.isRegularFile(backbone)) {
            throw new InvalidInputException("--backbone " + backbone + ": no model file; run ./unicom4j demo first (it "
                    + "saves the Unicom ViT there) or name one with --backbone");
        }
        long start = System.nanoTime();
        Files.createDirectories(out);
        Path tokens = out.resolve("cache/tokens"), embeddings = out.resolve("cache/embedding");
        Map<String, FashionMnistGroups.Split> sets = assemble(data, out, List.of(tokens, embeddings));
        double assemblySeconds = (System.nanoTime() - start) / 1e9;
        System.out.print(Assembly.table(sets.get("train").set()));
        System.out.printf(Locale.ROOT, "assembled train %d and test %d images from the class groups in %.0f s%n",
                sets.get("train").set().entries().size(), sets.get("eval").set().entries().size(), assemblySeconds);
        double cacheSeconds = cache(sets, backbone, backendName, tokens, VitEmbedder.Output.TOKENS)
                + cache(sets, backbone, backendName, embeddings, VitEmbedder.Output.EMBEDDING);
        JsonNode info = JSON.readTree(embeddings.resolve("eval").resolve(EmbeddingSet.INFO).toFile());
        int embedding = info.path("dim").asInt(), out64 = Math.min(64, info.path("model").path("width").asInt());
        MetricsTable table = new MetricsTable(COLUMNS);
        Map<String, Object> seconds = new LinkedHashMap<>();
        Map<String, String> models = new LinkedHashMap<>();
        TrainingRun.Result baseline = run(baselineConfig(out, embeddings, backendName, seed, embedding,
                Math.min(out64, embedding), sets.get("train").set().entries().size()));
        for (StageResult s : baseline.stages()) {
            if (s.type().equals("evaluate")) {
                table.add(s.details().path("title").asText(), metrics(s));
            }
        }
        Path bestGrid = null;
        for (Map.Entry<String, String> head : HEADS.entrySet()) {
            TrainingRun.Result r = run(headConfig(out, tokens, backbone, head.getKey(), head.getValue(), backendName,
                    seed, epochs, batch, out64));
            StageResult train = r.stages().get(0), eval = r.stages().get(1);
            table.add("head " + head.getKey(), metrics(eval));
            seconds.put(head.getKey(), train.details().path("trainSeconds").asDouble());
            models.put(head.getKey(), train.details().path("model").asText());
            if (bestGrid == null) {
                bestGrid = eval.folder().resolve("neighbours.npy");
            }
        }
        Map<String, Object> times = new LinkedHashMap<>();
        times.put("assembly_seconds", assemblySeconds);
        times.put("cache_seconds", cacheSeconds);
        writeReport(sets, out, table, seconds, models, times, bestGrid,
                baseline.stages().getFirst().folder().resolve("neighbours.npy"), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Assembles the training ("train") and test ("eval") splits from the class groups into OUT/assembly, removing the
     * features cached under {@code caches} of a split that is written anew.
     */
    private static Map<String, FashionMnistGroups.Split> assemble(Path data, Path out, List<Path> caches)
            throws IOException {
        Map<String, FashionMnistGroups.Split> sets = new LinkedHashMap<>();
        for (String split : List.of("train", "eval")) {
            FashionMnistGroups.Split set = FashionMnistGroups.assemble(data, split.equals("train") ? "train" : "t10k",
                    out.resolve("assembly").resolve(split));
            if (set.written()) {
                for (Path cache : caches) {
                    FileTrees.deleteIfExists(cache.resolve(split));
                }
            }
            sets.put(split, set);
        }
        FashionMnistGroups.checkSameLabels(sets.get("train"), sets.get("eval"));
        return sets;
    }

    /** Caches the backbone's rows of the assembled sets (kept when a previous run cached them with it). */
    private static double cache(Map<String, FashionMnistGroups.Split> sets, Path backbone, String backendName,
                                Path dir, VitEmbedder.Output output) throws IOException {
        double seconds = 0;
        for (Map.Entry<String, FashionMnistGroups.Split> split : sets.entrySet()) {
            Path folder = dir.resolve(split.getKey());
            ImageSource source = ImageSourceOptions.csv(split.getValue().csv(), ImageDecoder.DEFAULT_MAX_PIXELS);
            if (cached(folder, backbone, source)) {
                continue;
            }
            try (Backend backend = Backends.open(backendName);
                 LoadedModel model = ModelLoader.fromWeights(backend, backbone, null, null)) {
                Map<String, Object> info = EmbedCommand.write(model, output, source, folder, EmbeddingSet.MANIFEST_CSV,
                        256, 2, BadImagePolicy.STOP);
                seconds += (Double) info.get("seconds");
            }
        }
        return seconds;
    }

    private static boolean cached(Path folder, Path backbone, ImageSource source) throws IOException {
        Path file = folder.resolve(EmbeddingSet.INFO);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(folder.resolve(EmbeddingSet.EMBEDDINGS))) {
            return false;
        }
        JsonNode info = JSON.readTree(file.toFile());
        return info.path("model_id").asText().equals(ModelId.ofWeights(backbone))
                && info.path("source").asText().equals(source.description())
                && info.path("images").asInt() == source.dataset().size();
    }

    /**
     * The frozen embeddings without a head, and PCA of them to {@code components} dims (no training), fitted on all
     * {@code rows} training rows: the assembled set lists its sources one after the other, so the PCA's default
     * sample, the first 20,000 rows, would be tops only.
     */
    private static RunConfig baselineConfig(Path out, Path embeddings, String backend, long seed, int dim,
                                            int components, int rows) {
        return RunConfig.parse("""
                {"method": "head", "backend": "%s", "seed": %d, "output": "%s",
                 "data": {"train": {"format": "features", "path": "%s"}, "eval": {"format": "features", "path": "%s"}},
                 "model": {"out": %d},
                 "stages": [
                   {"name": "frozen", "type": "evaluate", "of": "pixels", "title": "frozen ViT embedding (%d-d)"},
                   {"name": "pca", "type": "features", "kind": "pca", "components": %d, "sample": %d},
                   {"name": "frozen-pca", "type": "evaluate", "of": "features", "title": "PCA of it to %d-d"}]}
                """.formatted(backend, seed, out.resolve("baselines"), embeddings.resolve("train"),
                embeddings.resolve("eval"), components, dim, components, rows, components), out, "unifex demo");
    }

    /** A head of {@code dim} outputs on the tokens with {@code loss} (the recipe of docs/RESULTS.md), evaluated. */
    private static RunConfig headConfig(Path out, Path tokens, Path backbone, String name, String loss, String backend,
                                        long seed, int epochs, int batch, int dim) {
        return RunConfig.parse("""
                {"method": "head", "backend": "%s", "seed": %d, "output": "%s", "batchSize": %d,
                 "data": {"train": {"format": "features", "path": "%s"}, "eval": {"format": "features", "path": "%s"}},
                 "model": {"input": "tokens", "out": %d, "dropout": 0, "batchNorm": true, "backbone": "%s"},
                 "stages": [
                   {"name": "head", "type": "train", "epochs": %d, "loss": %s, "optimizer": {"lr": 0.005},
                    "evalEveryEpoch": false},
                   {"name": "eval", "type": "evaluate", "title": "head %s"}]}
                """.formatted(backend, seed, out.resolve("heads/" + name), batch, tokens.resolve("train"),
                tokens.resolve("eval"), dim, backbone, epochs, loss, name), out, "unifex demo");
    }

    private static TrainingRun.Result run(RunConfig config) throws IOException {
        return new TrainingRun(config, System.err, ProgressLine.stderrIsTerminal()).run(null);
    }

    private static Map<String, Double> metrics(StageResult evaluate) {
        Map<String, Double> m = new LinkedHashMap<>();
        evaluate.details().path("metrics").properties().forEach(e -> m.put(e.getKey(), e.getValue().asDouble()));
        return m;
    }

    private static void writeReport(Map<String, FashionMnistGroups.Split> sets, Path out, MetricsTable table,
                                    Map<String, Object> seconds, Map<String, String> models, Map<String, Object> times,
                                    Path bestNeighbours, Path frozenNeighbours, double totalSeconds)
            throws IOException {
        DemoReport.EvalImages images = DemoReport.EvalImages.of(sets.get("eval").set());
        OutputFiles.writePng(out.resolve("neighbours_head.png"), images.grid(NpyArray.read(bestNeighbours)));
        OutputFiles.writePng(out.resolve("neighbours_frozen.png"), images.grid(NpyArray.read(frozenNeighbours)));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", "Fashion-MNIST assembled from its class groups " + FashionMnistGroups.GROUPS
                + " as separate sources with label offsets (train " + sets.get("train").set().entries().size()
                + ", test " + sets.get("eval").set().entries().size() + ", leave-one-out on the test set)");
        Map<String, Object> assembly = new LinkedHashMap<>();
        sets.forEach((split, set) -> assembly.put(split.equals("eval") ? "test" : split, set.summary()));
        report.put("assembly", assembly);
        report.put("metrics", table.rows());
        report.putAll(times);
        report.put("head_training_seconds", seconds);
        report.put("models", models);
        report.put("total_seconds", totalSeconds);
        OutputFiles.writeJson(out.resolve("report.json"), report);
        System.out.println();
        System.out.print(table.toText());
        System.out.printf(Locale.ROOT, "features cached in %.0f s; heads trained in:", (Double) times.get("cache_seconds"));
        seconds.forEach((name, s) -> System.out.printf(Locale.ROOT, " %s %.1f s,", name, (Double) s));
        System.out.println();
        System.out.println("models (the head composed with its backbone; embed/index/search --weights): "
                + out.resolve("heads/<loss>/head/model.safetensors"));
        System.out.printf(Locale.ROOT, "wrote %s/{report.json, neighbours_head.png, neighbours_frozen.png} in %.0f s%n",
                out, totalSeconds);
    }
}
