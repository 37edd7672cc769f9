package org.unicom4j.cli.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.cli.CliRun.args;
import static org.unicom4j.cli.CliRun.error;
import static org.unicom4j.cli.CliRun.fixture;
import static org.unicom4j.cli.CliRun.ok;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.CliRun;
import org.unicom4j.cli.FashionMnistTestData;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;

/** {@code unicom4j embed} on real Fashion-MNIST (gzipped IDX, 28 px grayscale) with a released-format RGB model. */
class EmbedCommandIT {
    private static final String PT = fixture("tiny_vit_fp16.pt").toString();

    @Test
    void fashionMnistThroughAnRgbModel(@TempDir Path dir) throws Exception {
        String images = FashionMnistTestData.images().toString(), labels = FashionMnistTestData.labels().toString();
        Path out = dir.resolve("out");
        CliRun r = ok("embed", "--idx", images, labels, "--limit", "500", "--weights", PT, "--batch", "64",
                "--manifest-format", "jsonl", "--out", out.toString(), "--backend", "cpu");
        assertTrue(r.out().contains("embedded 500 images (0 skipped)"), r.out());
        EmbeddingSet set = EmbeddingSet.read(out, null);
        assertEquals(500, set.rows());
        assertEquals(16, set.dim());
        assertArrayEquals(FashionMnistTestData.labels(500), set.labels());
        assertEquals(Path.of(images).toAbsolutePath() + "#499", set.entries().get(499).path());
        for (float v : set.vectors().data()) {
            assertTrue(Float.isFinite(v));
        }
        // Different pictures, different embeddings (28 px resized to the model's 16 px, gray to RGB).
        assertFalse(java.util.Arrays.equals(set.vectors().row(0), set.vectors().row(1)));
    }

    @Test
    void wrongWeightsAndMissingFilesAreOneLine(@TempDir Path dir) {
        String images = FashionMnistTestData.images().toString(), labels = FashionMnistTestData.labels().toString();
        Path out = dir.resolve("out");
        error(args("embed", "--idx", images, labels, "--weights", PT, "--model", "small", "--out", out.toString(),
                "--backend", "cpu"), "state dict key 'pos_embed' has shape (1, 4, 64), expected (1, 64, 192)");
        error(args("embed", "--idx", images, dir.resolve("labels.gz").toString(), "--weights", PT, "--out",
                out.toString(), "--backend", "cpu"), "labels.gz");
        error(args("embed", "--idx", images, "--weights", PT, "--out", out.toString()), "--idx");
        assertFalse(Files.exists(out));
    }
}
