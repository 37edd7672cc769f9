package org.unicom4j.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unicom4j.cli.report.Html;
import org.unicom4j.cli.report.LossCurvePlot;
import org.unicom4j.cli.report.MetricsTable;
import org.unicom4j.cli.report.NeighbourGrid;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.idx.IdxArray;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.metrics.HashingReport;
import org.unicom4j.retrieval.metrics.HashingScores;
import org.unicom4j.retrieval.metrics.PrecisionRecallPlot;
import org.unicom4j.training.run.StageResult;
import org.unicom4j.training.run.TrainingRun;

/**
 * The SSCQ demo's report: the hashing evaluations as a table (stdout, report.json, report.html), mAP@1000 against
 * the code length (map-by-bits.png), the precision-recall curves at the middle code length (precision-recall.png),
 * and per code length the nearest training images of ten test queries retrieved from the codes alone
 * (neighbours_sscq-BITS.png), with the training times and where the models are.
 */
final class SscqDemoReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLUMNS = List.of("mAP@1000", "P@100", "P@1000");

    private SscqDemoReport() {
    }

    static void write(Path out, ObjectNode preset, List<Integer> bits, Map<String, TrainingRun.Result> runs,
                      double totalSeconds) throws IOException {
        MetricsTable table = new MetricsTable(COLUMNS);
        Map<String, HashingScores> scores = new LinkedHashMap<>();
        Map<String, Object> training = new LinkedHashMap<>();
        Map<String, String> grids = new LinkedHashMap<>();
        Images images = Images.read(preset);
        for (var run : runs.entrySet()) {
            for (StageResult stage : run.getValue().stages()) {
                JsonNode d = stage.details();
                if (stage.type().equals("evaluate")) {
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    d.path("metrics").properties().forEach(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
                    table.add(d.path("title").asText(), metrics);
                    scores.put(run.getKey() + "/" + stage.name(), read(stage.folder()));
                    Path grid = stage.folder().resolve("grid-neighbours.npy");
                    if (java.nio.file.Files.isRegularFile(grid)) {
                        String file = "neighbours_" + run.getKey() + ".png";
                        OutputFiles.writePng(out.resolve(file), images.grid(NpyArray.read(grid)));
                        grids.put(d.path("title").asText(), file);
                    }
                } else if (stage.type().equals("train")) {
                    training.put(run.getKey(), Map.of("epochs", d.path("epochs").asInt(), "seconds",
                            d.path("trainSeconds").asDouble(), "images_per_second", d.path("imagesPerSecond").asDouble(),
                            "model", d.path("model").asText()));
                }
            }
        }
        OutputFiles.writePng(out.resolve("map-by-bits.png"), mapByBits(bits, scores));
        int middle = bits.get(bits.size() / 2);
        List<HashingScores> curves = new ArrayList<>();
        for (String key : List.of("baselines/pixels", "baselines/pq-" + middle, "sscq-" + middle + "/codes",
                "sscq-" + middle + "/features")) {
            if (scores.containsKey(key)) {
                curves.add(scores.get(key));
            }
        }
        OutputFiles.writePng(out.resolve("precision-recall.png"), PrecisionRecallPlot.draw("precision-recall at "
                + middle + " bits", curves, 720, 520));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("protocol", "hashing: the first " + preset.path("data").path("eval").path("limit").asInt()
                + " test images query the " + preset.path("data").path("train").path("limit").asInt()
                + " training images (the database); mAP@1000 (hashing convention), labels only for scoring");
        report.put("preset", preset);
        report.put("metrics", table.rows());
        report.put("training", training);
        report.put("total_seconds", totalSeconds);
        OutputFiles.writeJson(out.resolve("report.json"), report);
        OutputFiles.writeText(out.resolve("report.html"), html(table, training, grids, report));
        System.out.println();
        System.out.print(table.toText());
        training.forEach((name, t) -> System.out.println(name + ": " + t));
        System.out.printf(Locale.ROOT, "wrote %s/{report.json, report.html, map-by-bits.png, precision-recall.png, "
                + "neighbours_*.png} in %.0f s%n", out, totalSeconds);
    }

    /** mAP@1000 of SSCQ's codes, PQ of the pixels, SSCQ's float features and the float pixels against bits. */
    private static BufferedImage mapByBits(List<Integer> bits, Map<String, HashingScores> scores) {
        float[] codes = new float[bits.size()], pq = new float[bits.size()], features = new float[bits.size()];
        float[] pixels = new float[bits.size()];
        String[] ticks = new String[bits.size()];
        for (int i = 0; i < bits.size(); i++) {
            int b = bits.get(i);
            ticks[i] = b + " bits";
            codes[i] = map(scores.get("sscq-" + b + "/codes"));
            pq[i] = map(scores.get("baselines/pq-" + b));
            features[i] = map(scores.get("sscq-" + b + "/features"));
            pixels[i] = map(scores.get("baselines/pixels"));
        }
        return LossCurvePlot.draw("mAP@1000 against code length", "code length", List.of(
                new LossCurvePlot.Series("SSCQ codes", codes), new LossCurvePlot.Series("PQ of the pixels", pq),
                new LossCurvePlot.Series("SSCQ features (float)", features),
                new LossCurvePlot.Series("float pixels", pixels)), 720, 400, ticks);
    }

    private static float map(HashingScores s) {
        return s == null ? Float.NaN : (float) s.map();
    }

    /** The scores a hashing stage wrote (its hashing.json, one result). */
    static HashingScores read(Path folder) throws IOException {
        JsonNode r = JSON.readTree(folder.resolve(HashingReport.JSON).toFile()).path("results").path(0);
        int depth = 0;
        double map = 0;
        for (var e : r.properties()) {
            if (e.getKey().startsWith("mAP@")) {
                depth = Integer.parseInt(e.getKey().substring(4));
                map = e.getValue().asDouble();
            }
        }
        List<Integer> cutoffs = new ArrayList<>();
        List<Double> precision = new ArrayList<>();
        r.path("precision_at").properties().forEach(e -> {
            cutoffs.add(Integer.parseInt(e.getKey().substring(2)));
            precision.add(e.getValue().asDouble());
        });
        JsonNode curve = r.path("precision_recall");
        return new HashingScores(r.path("name").asText(), depth, map,
                cutoffs.stream().mapToInt(Integer::intValue).toArray(),
                precision.stream().mapToDouble(Double::doubleValue).toArray(), ints(curve.path("rank")),
                doubles(curve.path("precision")), doubles(curve.path("recall")), r.path("queries").asInt(),
                r.path("database").asInt());
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static String html(MetricsTable table, Map<String, Object> training, Map<String, String> grids,
                               Map<String, Object> report) {
        StringBuilder pictures = new StringBuilder();
        grids.forEach((title, file) -> pictures.append("<h3>").append(Html.escape(title)).append("</h3><img src=\"")
                .append(Html.escape(file)).append("\" alt=\"neighbours\">\n"));
        StringBuilder models = new StringBuilder();
        training.forEach((run, t) -> models.append("<li>").append(Html.escape(run)).append(": ")
                .append(Html.escape(t.toString())).append("</li>"));
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>unicom4j demo: SSCQ on Fashion-MNIST</title>
                <style>body{font-family:sans-serif;max-width:960px;margin:2em auto}table{border-collapse:collapse}
                td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}td:first-child{text-align:left}</style>
                </head><body>
                <h1>unicom4j demo: SSCQ on Fashion-MNIST (no labels in training)</h1>
                <p>%s</p>
                <h2>Metrics</h2>%s
                <h2>mAP against code length</h2><img src="map-by-bits.png" alt="mAP by bits">
                <h2>Precision-recall</h2><img src="precision-recall.png" alt="precision-recall">
                <h2>Nearest neighbours from the codes</h2>
                <p>First column: a test query; then the 8 training images nearest to it by the code distance
                (green: same class, red: other class).</p>
                %s
                <h2>Training</h2><ul>%s</ul>
                </body></html>
                """.formatted(Html.escape(report.get("protocol").toString()), table.toHtml(), pictures, models);
    }

    /** The test (query) and training (database) images and labels, for the neighbour grids. */
    private record Images(float[] train, int[] trainLabels, float[] test, int[] testLabels, int size) {
        static Images read(ObjectNode preset) throws IOException {
            JsonNode data = preset.path("data");
            float[][] pixels = new float[2][];
            int[][] labels = new int[2][];
            int size = 0;
            String[] splits = {"train", "eval"};
            for (int s = 0; s < 2; s++) {
                JsonNode d = data.path(splits[s]);
                IdxArray images = IdxArray.read(Path.of(d.path("images").asText()));
                size = images.dims()[1];
                labels[s] = IdxArray.read(Path.of(d.path("labels").asText())).toInts();
                byte[] raw = images.data();
                pixels[s] = new float[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    pixels[s][i] = (raw[i] & 0xff) / 255f;
                }
            }
            return new Images(pixels[0], labels[0], pixels[1], labels[1], size);
        }

        /**
         * Rows [query, 8 database rows] as a grid; indices below the training count are training images, the
         * queries are numbered after them so one picture holds both sets.
         */
        BufferedImage grid(NpyArray neighbours) {
            int rows = (int) neighbours.shape()[0], kept = (int) neighbours.shape()[1] - 1, n = trainLabels.length;
            int[] values = neighbours.toInts();
            int[] queries = new int[rows];
            int[][] lists = new int[rows][kept];
            int[] allLabels = Arrays.copyOf(trainLabels, n + testLabels.length);
            System.arraycopy(testLabels, 0, allLabels, n, testLabels.length);
            for (int r = 0; r < rows; r++) {
                queries[r] = n + values[r * (kept + 1)];
                System.arraycopy(values, r * (kept + 1) + 1, lists[r], 0, kept);
            }
            int plane = size * size;
            return NeighbourGrid.draw(queries, lists, allLabels, i -> i < n
                    ? Arrays.copyOfRange(train, i * plane, (i + 1) * plane)
                    : Arrays.copyOfRange(test, (i - n) * plane, (i - n + 1) * plane), 1, size, 3);
        }
    }
}
