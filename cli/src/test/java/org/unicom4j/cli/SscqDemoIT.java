package org.unicom4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.demo.FashionMnistFiles;

/**
 * {@code demo --method sscq} end to end on a small slice of Fashion-MNIST: a baselines run and one SSCQ run per
 * code length, the report with its pictures, and models whose codes {@code index --code-index} stores; an option
 * of the Unicom demo is a one-line error.
 */
class SscqDemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void smallSscqDemoWritesTheReportAndItsModels(@TempDir Path out) throws Exception {
        requireFashionMnist();
        CliRun.ok("demo", "--method", "sscq", "--train-images", "768", "--test-images", "200", "--epochs", "1",
                "--batch", "64", "--bits", "8,16", "--out", out.toString(), "--backend", "cpu");
        for (String file : new String[] {"report.json", "report.html", "map-by-bits.png", "precision-recall.png",
                "neighbours_sscq-8.png", "neighbours_sscq-16.png", "sscq-8/sscq/model.safetensors",
                "sscq-16/sscq/model.safetensors", "baselines/pq-16/hashing.json"}) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        JsonNode metrics = JSON.readTree(out.resolve("report.json").toFile()).get("metrics");
        List<String> rows = new ArrayList<>();
        metrics.fieldNames().forEachRemaining(rows::add);
        assertEquals(List.of("float pixels (784-d)", "PQ 8 bits of the pixels", "PQ 16 bits of the pixels",
                "SSCQ 8-bit codes", "SSCQ 8-bit model's features (float)", "SSCQ 16-bit codes",
                "SSCQ 16-bit model's features (float)"), rows);
        for (JsonNode row : metrics) {
            double map = row.get("mAP@1000").asDouble();
            assertTrue(map > 0.1 && map <= 1, "above chance (0.1): " + row);
        }
        CliRun indexed = CliRun.ok("index", "--code-index", out.resolve("db.u4jc").toString(), "--idx",
                FashionMnistFiles.DEBIAN_DIR.resolve("t10k-images-idx3-ubyte.gz").toString(),
                FashionMnistFiles.DEBIAN_DIR.resolve("t10k-labels-idx1-ubyte.gz").toString(), "--limit", "100",
                "--weights", out.resolve("sscq-16/sscq/model.safetensors").toString(), "--backend", "cpu");
        assertTrue(indexed.out().contains("100 images as 16-bit codes"), indexed.out());
    }

    @Test
    void aUnicomOptionOrAMissingBackboneIsOneLine(@TempDir Path dir) {
        requireFashionMnist();
        Path out = dir.resolve("out");
        CliRun.error(CliRun.args("demo", "--method", "sscq", "--clusters", "40", "--out", out.toString()),
                "--clusters is an option of the Unicom demo");
        assertFalse(Files.exists(out));
        CliRun.error(CliRun.args("demo", "--method", "sscq", "--backbone", dir.resolve("none.safetensors").toString(),
                "--out", out.toString()), "--backbone " + dir.resolve("none.safetensors") + ": no such file");
        assertFalse(Files.exists(out));
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
