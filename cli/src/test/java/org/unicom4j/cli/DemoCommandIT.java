package org.unicom4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.demo.FashionMnistFiles;

/**
 * The demo end to end on a small slice of Fashion-MNIST: the engine runs the preset, the report is written, and
 * the saved models are what was evaluated (eval --weights gives the report's Recall@1); and its one-line errors.
 */
class DemoCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void smallDemoWritesTheWholeReportAndItsModels(@TempDir Path out) throws Exception {
        requireFashionMnist();
        int code = Unicom4j.execute("demo", "--train-images", "512", "--test-images", "300", "--clusters", "40",
                "--epochs", "1", "--finetune-epochs", "1", "--batch", "64", "--out", out.toString());
        assertEquals(0, code);
        for (String file : new String[] {"report.json", "report.html", "loss.png", "neighbours_eval-unicom.png",
                "neighbours_eval-pixels.png", "neighbours_eval-finetune.png", "unicom/model.safetensors",
                "finetune/model.safetensors", "config.json"}) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        JsonNode metrics = report.get("metrics");
        assertEquals(List.of("raw pixels (784-d)", "cluster features: hog", "untrained ViT",
                "Unicom ViT (pseudo-classes)", "fine-tuned ViT (true labels)"), iterable(metrics.fieldNames()));
        assertTrue(report.get("pseudo_classes").asText().contains("HOG descriptors"), report.toString());
        assertEquals(2, report.get("baselines").size(), "raw pixels and the untrained network");
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("HOG descriptors") && html.contains("Baselines: the raw pixels"), html);
        for (JsonNode row : metrics) {
            double r1 = row.get("R@1").asDouble(), r8 = row.get("R@8").asDouble();
            assertTrue(r1 > 0.1 && r1 <= r8 && r8 <= 1.0, "R@1 above chance (0.1), R@8 >= R@1: " + row);
        }
        // the saved Unicom model is the evaluated one: embedded again by eval, it scores the report's Recall@1
        Path dir = FashionMnistFiles.DEBIAN_DIR;
        CliRun.ok("eval", "--idx", dir.resolve("t10k-images-idx3-ubyte.gz").toString(),
                dir.resolve("t10k-labels-idx1-ubyte.gz").toString(), "--limit", "300", "--weights",
                out.resolve("unicom/model.safetensors").toString(), "--out", out.resolve("eval").toString(),
                "--backend", "cpu");
        JsonNode eval = JSON.readTree(out.resolve("eval/eval.json").toFile()).get("metrics").elements().next();
        assertEquals(metrics.get("Unicom ViT (pseudo-classes)").get("R@1").asDouble(), eval.get("R@1").asDouble(),
                0.01, eval.toString());
    }

    @Test
    void missingDatasetIsOneLineAndWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("out");
        String err = runForError("demo", "--data", dir.resolve("nowhere").toString(), "--out", out.toString());
        assertTrue(err.contains("Fashion-MNIST not found") && err.contains("apt-get install dataset-fashion-mnist"),
                err);
        assertEquals(1, err.strip().lines().count(), err);
        assertFalse(Files.exists(out), "no output folder for a failed run");
    }

    @Test
    void badOptionIsOneLine() {
        requireFashionMnist();
        String err = runForError("demo", "--batch", "4");
        assertTrue(err.contains("--batch must be >= 16"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static String runForError(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            int code = Unicom4j.execute(args);
            assertEquals(2, code, "exit code for bad input");
        } finally {
            System.setErr(original);
        }
        return captured.toString();
    }

    private static void requireFashionMnist() {
        if (!Files.isDirectory(FashionMnistFiles.DEBIAN_DIR)) {
            String reason = "Fashion-MNIST not installed at " + FashionMnistFiles.DEBIAN_DIR;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason + " (CI installs dataset-fashion-mnist)");
            }
            Assumptions.abort(reason);
        }
    }
}
