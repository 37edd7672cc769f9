package org.unicom4j.cli.search;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.CliRun;
import org.unicom4j.cli.FashionMnistTestData;
import org.unicom4j.data.idx.IdxArray;
import org.unicom4j.retrieval.lucene.IndexMeta;
import org.unicom4j.retrieval.lucene.PersistentVectorIndex;

/** Index Fashion-MNIST images in steps, then search with PNG copies of some of them. */
class IndexSearchCommandIT {
    private static final String PT = fixture("tiny_vit_fp16.pt").toString();

    @Test
    void indexInStepsThenFindTheQueriesThemselves(@TempDir Path dir) throws Exception {
        Path images = FashionMnistTestData.images();
        String labels = FashionMnistTestData.labels().toString(), index = dir.resolve("index").toString();
        CliRun first = ok("index", "--index", index, "--idx", images.toString(), labels, "--limit", "600",
                "--weights", PT, "--commit-every", "250", "--batch", "64", "--backend", "cpu");
        assertTrue(first.out().contains("added 600 images (0 already indexed"), first.out());
        CliRun second = ok("index", "--index", index, "--idx", images.toString(), labels, "--limit", "800",
                "--weights", PT, "--backend", "cpu");
        assertTrue(second.out().contains("added 200 images (600 already indexed") && second.out().contains("holds 800"),
                second.out());

        // Queries: PNG copies of items 3, 250 and 700 (gray, as stored), in a folder.
        byte[] pixels = IdxArray.read(images).data();
        Path queries = dir.resolve("queries");
        Files.createDirectories(queries);
        int[] items = {3, 250, 700};
        for (int item : items) {
            BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            gray.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOfRange(pixels, item * 784,
                    (item + 1) * 784));
            ImageIO.write(gray, "png", queries.resolve(String.format("q%03d.png", item)).toFile());
        }
        Path out = dir.resolve("out");
        IndexMeta meta = PersistentVectorIndex.readMeta(Path.of(index));
        // Search takes no lock: it runs while a writer (here an open one, as a running 'index' would) holds it.
        try (PersistentVectorIndex writer = PersistentVectorIndex.openOrCreate(Path.of(index), meta.dim(),
                meta.modelId(), meta.quantized())) {
            ok("search", "--index", index, queries.toString(), "-k", "5", "--weights", PT, "--out", out.toString(),
                    "--backend", "cpu");
        }
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("results");
        for (int q = 0; q < items.length; q++) {
            JsonNode hits = results.get(q).get("hits");
            String self = images.toAbsolutePath() + "#" + items[q];
            boolean found = false;
            for (JsonNode hit : hits) {
                found |= hit.get("path").asText().equals(self) && hit.get("score").asDouble() > 0.999;
            }
            assertTrue(found, "item " + items[q] + " finds itself at cosine 1: " + hits);
        }
        String html = Files.readString(out.resolve("results.html"));
        assertEquals(3 + 3 * 5, Pattern.compile("src=\"data:image/png;base64,").matcher(html).results().count(),
                "thumbnails of the queries and of every IDX hit");
        assertFalse(html.contains("no image"));

        error(args("index", "--index", index, "--idx", images.toString(), labels, "--random-weights", "--model",
                "small", "--backend", "cpu"), "was built with dim 16", "opened with dim 128");
    }
}
