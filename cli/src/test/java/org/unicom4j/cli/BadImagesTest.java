package org.unicom4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.cli.CliRun.args;
import static org.unicom4j.cli.CliRun.error;
import static org.unicom4j.cli.CliRun.fixture;
import static org.unicom4j.cli.CliRun.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image over {@code --max-image-pixels} (refused from its header: data's ImageDecoderPixelLimitTest has the
 * decompression bomb) and one that is not an image, on every command that reads image files: skipped and named
 * once, or the command stops with exit code 2 and one line.
 */
class BadImagesTest {
    private static final String PT = fixture("tiny_vit_fp16.pt").toString();
    private static final String LIMIT = "1000"; // the fixtures are 16 x 16 = 256 pixels; big.png is 40 x 40
    private static final String OVER = "40 x 40 = 1,600 pixels, more than the limit of 1,000; not decoded (a "
            + "decompression bomb? raise the max-image-pixels limit if the image is genuine)";
    private static final String NOT_AN_IMAGE = "not a recognised image format (first bytes 6e6f7420616e2069)";

    @TempDir
    Path dir;
    private Path images;
    private Path big;
    private Path notes;

    @BeforeEach
    void folder() throws IOException {
        images = dir.resolve("images");
        for (String f : new String[] {"a/a0.png", "a/a1.png", "b/b0.png"}) {
            Files.createDirectories(images.resolve(f).getParent());
            Files.copy(fixture("images/" + f), images.resolve(f));
        }
        big = images.resolve("a/big.png");
        ImageIO.write(new BufferedImage(40, 40, BufferedImage.TYPE_3BYTE_BGR), "png", big.toFile());
        notes = images.resolve("a/notes.png");
        Files.writeString(notes, "not an image");
    }

    @Test
    void embedSkipsThemNamingEachFileOnceOrStopsAtTheFirst() throws IOException {
        CliRun r = ok("embed", "--folder", images.toString(), "--weights", PT, "--max-image-pixels", LIMIT,
                "--out", dir.resolve("skip").toString(), "--backend", "cpu");
        assertTrue(r.out().contains("embedded 3 images (2 skipped)"), r.out());
        assertTrue(r.err().lines().anyMatch(("epoch 0: skipped 2 bad images of 5; " + big + ": " + OVER + "; " + notes
                + ": " + NOT_AN_IMAGE)::equals), r.err());
        JsonNode skipped = new ObjectMapper().readTree(dir.resolve("skip/embed.json").toFile()).get("skipped");
        assertEquals(big + ": " + OVER, skipped.get(0).asText());
        assertEquals(notes + ": " + NOT_AN_IMAGE, skipped.get(1).asText());

        String line = error(args("embed", "--folder", images.toString(), "--weights", PT, "--max-image-pixels", LIMIT,
                "--on-bad-image", "stop", "--out", dir.resolve("stop").toString(), "--backend", "cpu"));
        assertEquals("unicom4j embed: " + big + ": " + OVER, line);
        assertFalse(Files.exists(dir.resolve("stop/embeddings.npy")), "nothing half-written");
    }

    @Test
    void theDefaultLimitLetsOrdinaryImagesThrough() {
        CliRun r = ok("embed", "--folder", images.toString(), "--weights", PT, "--out", dir.resolve("o").toString(),
                "--backend", "cpu");
        assertTrue(r.out().contains("embedded 4 images (1 skipped)"), r.out());
    }

    @Test
    void indexAndEvalStopAtThemOnRequest() {
        assertEquals("unicom4j index: " + big + ": " + OVER, error(args("index", "--index",
                dir.resolve("index").toString(), "--folder", images.toString(), "--weights", PT,
                "--max-image-pixels", LIMIT, "--on-bad-image", "stop", "--backend", "cpu")));
        assertEquals("unicom4j eval: " + notes + ": " + NOT_AN_IMAGE, error(args("eval", "--folder",
                images.toString(), "--weights", PT, "--on-bad-image", "stop", "--out", dir.resolve("e").toString(),
                "--backend", "cpu")));
    }

    @Test
    void searchSkipsABadQueryOrStopsAtIt() throws IOException {
        String index = dir.resolve("index").toString();
        ok("index", "--index", index, "--folder", fixture("images").toString(), "--weights", PT, "--backend", "cpu");
        CliRun r = ok("search", "--index", index, images.resolve("a").toString(), "--weights", PT,
                "--max-image-pixels", LIMIT, "--out", dir.resolve("s").toString(), "--backend", "cpu");
        assertTrue(r.err().lines().anyMatch(("skipped query " + big + ": " + OVER)::equals), r.err());
        assertTrue(r.err().lines().anyMatch(("skipped query " + notes + ": " + NOT_AN_IMAGE)::equals), r.err());
        JsonNode results = new ObjectMapper().readTree(dir.resolve("s/results.json").toFile()).get("results");
        assertEquals(2, results.size(), "a0.png and a1.png");

        assertEquals("unicom4j search: " + big + ": " + OVER, error(args("search", "--index", index,
                big.toString(), fixture("images/a/a0.png").toString(), "--weights", PT, "--max-image-pixels", LIMIT,
                "--on-bad-image", "stop", "--out", dir.resolve("t").toString(), "--backend", "cpu")));
        assertTrue(error(args("search", "--index", index, big.toString(), "--weights", PT, "--max-image-pixels",
                LIMIT, "--out", dir.resolve("u").toString(), "--backend", "cpu")).endsWith("(all 1 skipped)"));
    }

    @Test
    void trainTakesTheLimitFromItsConfig() throws IOException {
        Files.delete(notes);
        Path config = dir.resolve("run.json");
        Files.writeString(config, """
                {"data": {"train": {"format": "imagefolder", "root": "images", "maxImagePixels": %s}},
                 "model": {"imageSize": 16, "channels": 3, "patch": 8, "width": 16, "depth": 1, "heads": 2,
                           "mlpHidden": 32, "embedding": 8},
                 "epochs": 1, "batchSize": 2, "output": "%s"}
                """.formatted(LIMIT, dir.resolve("out")));
        assertEquals("unicom4j train: " + big.toAbsolutePath() + ": " + OVER,
                error(args("train", "--config", config.toString(), "--backend", "cpu")));
    }

    @Test
    void aBadLimitOrPolicyIsOneLine() {
        String out = dir.resolve("o").toString();
        error(args("embed", "--folder", images.toString(), "--weights", PT, "--max-image-pixels", "0", "--out", out),
                "--max-image-pixels must be >= 1, got 0");
        error(args("embed", "--folder", images.toString(), "--weights", PT, "--on-bad-image", "ignore", "--out", out),
                "--on-bad-image 'ignore': expected skip or stop");
        error(args("embed", "--folder", images.toString(), "--weights", PT, "--max-image-pixels", "lots", "--out",
                out), "--max-image-pixels", "lots", "(see --help)");
    }
}
