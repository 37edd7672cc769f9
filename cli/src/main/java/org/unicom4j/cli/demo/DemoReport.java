package org.unicom4j.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unicom4j.cli.report.LossCurvePlot;
import org.unicom4j.cli.report.MetricsTable;
import org.unicom4j.cli.report.NeighbourGrid;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.assemble.AssembledSet;
import org.unicom4j.data.idx.IdxArray;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.run.StageResult;
import org.unicom4j.training.run.TrainingRun;

/**
 * The demo's report from a finished run: the evaluations as a table (stdout, report.json, report.html), the
 * training loss per step of each train stage (loss.png), the nearest test images of ten queries per evaluation
 * (neighbours_STAGE.png), the time of every stage and the training throughput, and where the models are.
 */
final class DemoReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLUMNS = List.of("R@1", "R@2", "R@4", "R@8", "mAP@R", "mMP@5");

    private DemoReport() {
    }

    static void write(RunConfig config, TrainingRun.Result result, double totalSeconds) throws IOException {
        Path out = Path.of(config.output());
        MetricsTable table = new MetricsTable(COLUMNS);
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Map<String, Object>> training = new LinkedHashMap<>();
        Map<String, String> models = new LinkedHashMap<>();
        Map<String, String> grids = new LinkedHashMap<>();
        List<LossCurvePlot.Series> losses = new ArrayList<>();
        EvalImages images = EvalImages.read(config);
        for (StageResult stage : result.stages()) {
            seconds.put(stage.name() + " (" + stage.type() + ")", stage.seconds());
            JsonNode d = stage.details();
            switch (stage.type()) {
                case "evaluate" -> {
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    d.path("metrics").properties().forEach(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
                    table.add(d.path("title").asText(), metrics);
                    String file = "neighbours_" + stage.name() + ".png";
                    OutputFiles.writePng(out.resolve(file), images.grid(NpyArray.read(
                            stage.folder().resolve("neighbours.npy"))));
                    grids.put(d.path("title").asText(), file);
                }
                case "train" -> {
                    Map<String, Object> rate = new LinkedHashMap<>();
                    rate.put("epochs", d.path("epochs").asInt());
                    rate.put("images", d.path("images").asLong());
                    rate.put("seconds", d.path("trainSeconds").asDouble());
                    rate.put("images_per_second", d.path("imagesPerSecond").asDouble());
                    training.put(stage.name(), rate);
                    models.put(stage.name(), d.path("model").asText());
                    losses.add(new LossCurvePlot.Series(stage.name(), stepLosses(stage.folder())));
                }
                default -> { }
            }
        }
        String pseudo = pseudoClassText(config, result);
        OutputFiles.writePng(out.resolve("loss.png"), LossCurvePlot.draw("training loss per step", "step", losses,
                720, 360));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", "Fashion-MNIST (train " + config.train().limit() + ", test " + config.eval().limit()
                + ")");
        report.put("pseudo_classes", pseudo);
        report.put("baselines", List.of("raw pixels: the 784 pixel values, L2-normalised",
                "untrained ViT: the same network at its random initialisation"));
        report.put("model", config.model().vit());
        report.put("config", JSON.readTree(config.toJson()));
        report.put("metrics", table.rows());
        report.put("seconds", seconds);
        report.put("training", training);
        report.put("models", models);
        report.put("total_seconds", totalSeconds);
        OutputFiles.writeJson(out.resolve("report.json"), report);
        OutputFiles.writeText(out.resolve("report.html"), DemoHtml.render(table, seconds, training, grids, pseudo,
                config));
        System.out.println();
        System.out.println(pseudo);
        System.out.print(table.toText());
        training.forEach((name, r) -> System.out.printf(Locale.ROOT, "%s: %d epochs, %d images in %.0f s (%.0f "
                + "images/s)%n", name, (Integer) r.get("epochs"), (Long) r.get("images"), (Double) r.get("seconds"),
                (Double) r.get("images_per_second")));
        models.forEach((name, file) -> System.out.println("model " + name + ": " + file
                + " (embed/index/search --weights)"));
        System.out.printf(Locale.ROOT, "wrote %s/{report.json, report.html, loss.png, neighbours_*.png} in %.0f s%n",
                out, totalSeconds);
    }

    /** One sentence on where the pseudo-classes came from. */
    static String pseudoClassText(RunConfig config, TrainingRun.Result result) {
        StageResult features = find(result, "features"), kmeans = find(result, "kmeans");
        if (kmeans == null) {
            return "No cluster discrimination (supervised training from scratch only).";
        }
        long rounds = result.stages().stream().filter(s -> s.type().equals("kmeans")).count();
        return "Pseudo-classes (no labels): k-means with " + kmeans.details().path("clusters").asInt()
                + " clusters of the " + config.train().limit() + " training images on their "
                + features.details().path("description").asText()
                + (rounds > 1 ? ", then re-clustered on the network's own embeddings after each of " + (rounds - 1)
                        + " round(s)." : ".");
    }

    private static StageResult find(TrainingRun.Result result, String type) {
        return result.stages().stream().filter(s -> s.type().equals(type)).findFirst().orElse(null);
    }

    private static float[] stepLosses(Path stageFolder) throws IOException {
        List<String> lines = Files.readAllLines(stageFolder.resolve("metrics.jsonl"));
        float[] values = new float[lines.size()];
        int n = 0;
        for (String line : lines) {
            JsonNode record = JSON.readTree(line);
            if (record.path("type").asText().equals("step")) {
                values[n++] = (float) record.path("loss").asDouble();
            }
        }
        return Arrays.copyOf(values, n);
    }

    /** The evaluated test images and labels, for the neighbour grids. */
    record EvalImages(float[] pixels, int[] labels, int size) {
        static EvalImages read(RunConfig config) throws IOException {
            return read(Path.of(config.eval().images()), Path.of(config.eval().labels()), config.eval().limit());
        }

        /** The first {@code limit} images of an IDX pair. */
        static EvalImages read(Path imageFile, Path labelFile, int limit) throws IOException {
            IdxArray images = IdxArray.read(imageFile);
            int[] labels = IdxArray.read(labelFile).toInts();
            int size = images.dims()[1], n = Math.min(limit, labels.length);
            byte[] raw = images.data();
            float[] pixels = new float[n * size * size];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (raw[i] & 0xff) / 255f;
            }
            return new EvalImages(pixels, Arrays.copyOf(labels, n), size);
        }

        /** The images of an assembled set of square one-channel images (IDX sources), in its order, merged labels. */
        static EvalImages of(AssembledSet set) throws IOException {
            int n = set.entries().size(), size = 0;
            float[] pixels = null;
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                AssembledSet.Entry e = set.entries().get(i);
                PixelImage image = set.datasets().get(e.source()).load(e.item());
                if (pixels == null) {
                    size = image.width();
                    pixels = new float[n * size * size];
                }
                byte[] raw = image.pixels();
                for (int p = 0; p < raw.length; p++) {
                    pixels[i * raw.length + p] = (raw[p] & 0xff) / 255f;
                }
                labels[i] = e.label();
            }
            return new EvalImages(pixels, labels, size);
        }

        /** Ten queries spread over the set (fixed, for comparability), each with its 8 nearest others. */
        java.awt.image.BufferedImage grid(NpyArray neighbours) {
            int rows = 10, kept = (int) neighbours.shape()[1];
            int[] nearest = neighbours.toInts();
            int[] queries = new int[rows];
            int[][] lists = new int[rows][kept];
            for (int r = 0; r < rows; r++) {
                queries[r] = (int) ((long) r * 997 % labels.length);
                System.arraycopy(nearest, queries[r] * kept, lists[r], 0, kept);
            }
            int plane = size * size;
            return NeighbourGrid.draw(queries, lists, labels, i -> Arrays.copyOfRange(pixels, i * plane,
                    (i + 1) * plane), 1, size, 3);
        }
    }
}
