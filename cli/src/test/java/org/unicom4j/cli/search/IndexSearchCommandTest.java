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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.CliRun;
import org.unicom4j.retrieval.lucene.PersistentVectorIndex;

/** {@code unicom4j index} then {@code search}: incremental indexing, model checks, results and their page. */
class IndexSearchCommandTest {
    private static final String PT = fixture("tiny_vit_fp16.pt").toString();
    private static final String IMAGES = fixture("images").toString();

    @Test
    void reRunsAddOnlyWhatIsMissing(@TempDir Path dir) throws Exception {
        String index = dir.resolve("index").toString();
        CliRun first = ok("index", "--index", index, "--folder", IMAGES, "--weights", PT, "--limit", "4",
                "--commit-every", "3", "--backend", "cpu");
        assertTrue(first.out().contains("added 4 images (0 already indexed"), first.out());
        CliRun second = ok("index", "--index", index, "--folder", IMAGES, "--weights", PT, "--backend", "cpu");
        assertTrue(second.out().contains("added 2 images (4 already indexed") && second.out().contains("holds 6"),
                second.out());
        // embed's output knows its model id, so the same embeddings add nothing new.
        ok("embed", "--folder", IMAGES, "--weights", PT, "--out", dir.resolve("e").toString(), "--backend", "cpu");
        CliRun third = ok("index", "--index", index, "--embeddings", dir.resolve("e").toString());
        assertTrue(third.out().contains("added 0 images (6 already indexed"), third.out());
        assertEquals(16, PersistentVectorIndex.readMeta(Path.of(index)).dim());
    }

    @Test
    void anotherModelOrDimIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        String index = dir.resolve("index").toString();
        ok("index", "--index", index, "--folder", IMAGES, "--weights", PT, "--backend", "cpu");
        error(args("index", "--index", index, "--folder", IMAGES, "--random-weights", "--model", "tiny",
                "--backend", "cpu"), "was built with dim 16, model 'tiny_vit_fp16.pt:", "opened with dim 32");
        error(args("search", "--index", index, fixture("images/a/a0.png").toString(), "--random-weights", "--model",
                "tiny", "--out", dir.resolve("out").toString(), "--backend", "cpu"), "holds dim 16 embeddings",
                "the query model is 'random:0:");
        error(args("index", "--index", index, "--embeddings", dir.resolve("none").toString()), "not found");
        ok("embed", "--folder", IMAGES, "--weights", PT, "--out", dir.resolve("e").toString(), "--backend", "cpu");
        Files.delete(dir.resolve("e/embed.json"));
        error(args("index", "--index", dir.resolve("other").toString(), "--embeddings", dir.resolve("e").toString()),
                "give --model-id");
        ok("index", "--index", dir.resolve("other").toString(), "--embeddings", dir.resolve("e").toString(),
                "--model-id", "mine");
        assertEquals("mine", PersistentVectorIndex.readMeta(dir.resolve("other")).modelId());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void searchPrintsWritesJsonAndASelfContainedPage(@TempDir Path dir) throws Exception {
        String index = dir.resolve("index").toString();
        ok("index", "--index", index, "--folder", IMAGES, "--weights", PT, "--backend", "cpu");
        Path out = dir.resolve("out");
        CliRun r = ok("search", "--index", index, "-k", "3", fixture("images/a/a1.png").toString(),
                fixture("images/b").toString(), "--weights", PT, "--out", out.toString(), "--backend", "cpu");
        assertTrue(r.out().contains("query " + fixture("images/a/a1.png")), r.out());
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("results");
        assertEquals(4, results.size(), "one file and a folder of three");
        for (JsonNode q : results) {
            JsonNode hits = q.get("hits");
            assertEquals(3, hits.size());
            // Each query is indexed itself: it comes first, at cosine 1.
            assertEquals(q.get("query").asText(), hits.get(0).get("path").asText());
            assertEquals(1.0, hits.get(0).get("score").asDouble(), 1e-3);
            assertTrue(hits.get(0).get("score").asDouble() >= hits.get(1).get("score").asDouble());
        }
        assertEquals(fixture("images/b/b0.png").toString(), results.get(1).get("query").asText());
        String html = Files.readString(out.resolve("results.html"));
        long inline = Pattern.compile("<img src=\"data:image/png;base64,").matcher(html).results().count();
        assertEquals(4 + 4 * 3, inline, "a thumbnail per query and per hit, all inline");
        assertFalse(html.contains("src=\"/") || html.contains("src=\"file:"), "no links to other files");
    }

    @Test
    void anUndecodableQueryIsOneLineNamingItAndWritesNothing(@TempDir Path dir) throws Exception {
        String index = dir.resolve("index").toString();
        ok("index", "--index", index, "--folder", IMAGES, "--weights", PT, "--limit", "2", "--backend", "cpu");
        Path bad = dir.resolve("query.jpg");
        Files.writeString(bad, "not an image");
        Path out = dir.resolve("out");
        error(args("search", "--index", index, fixture("images/a/a0.png").toString(), bad.toString(), "--weights", PT,
                "--on-bad-image", "stop", "--out", out.toString(), "--backend", "cpu"), bad.toString(),
                "not a recognised image format");
        error(args("search", "--index", index, dir.resolve("gone.png").toString(), "--weights", PT, "--out",
                out.toString()), "gone.png: query image not found");
        error(args("search", "--index", dir.resolve("noindex").toString(), bad.toString(), "--weights", PT, "--out",
                out.toString()), "noindex", "no such directory");
        error(args("search", "--index", index, "--weights", PT), "Missing required parameter", "QUERY");
        assertFalse(Files.exists(out));
    }
}
