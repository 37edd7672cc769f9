package org.unicom4j.cli.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.CliRun;
import org.unicom4j.kernels.Backends;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.sscq.SscqConfig;
import org.unicom4j.model.sscq.SscqModel;
import org.unicom4j.model.sscq.SscqStateDict;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.retrieval.codeindex.CodeIndex;
import org.unicom4j.retrieval.codeindex.CodeIndexExpectation;

/**
 * An SSCQ model through the command line: {@code embed} gives its continuous features, {@code index --code-index}
 * a code index of its hard codes, {@code search --code-index} ranks by the named code distance (every query finds
 * itself at the smallest asymmetric distance), {@code eval --protocol hashing} scores the pair; an index of another
 * model, a truncated index and a plain ViT for codes are one-line errors that write nothing.
 */
class SscqCodeIndexCommandTest {
    private static final String IMAGES = fixture("images").toString();

    /** An untrained SSCQ model on the tiny ViT of the fixture images (32 px RGB), 16-bit codes. */
    private static Path model(Path dir, String name, long seed) throws Exception {
        Path file = dir.resolve(name);
        try (Backend backend = Backends.open("cpu");
             SscqModel m = new SscqModel(backend, new SscqConfig(VitConfig.TINY, 24, 4, 16, 8, 0.2))) {
            m.initializeFromScratch(seed);
            SscqStateDict.save(m, file);
        }
        return file;
    }

    @Test
    void indexSearchEmbedAndEvalWorkOnCodes(@TempDir Path dir) throws Exception {
        String weights = model(dir, "sscq.safetensors", 1).toString();
        Path db = dir.resolve("db.u4jc");
        CliRun indexed = ok("index", "--code-index", db.toString(), "--folder", IMAGES, "--weights", weights,
                "--backend", "cpu");
        assertTrue(indexed.out().contains("6 images as 16-bit codes (4 codebooks of 16)"), indexed.out());
        CodeIndex index = CodeIndex.open(db, new CodeIndexExpectation(null, 16));
        assertEquals(6, index.size());
        Path out = dir.resolve("search");
        CliRun found = ok("search", "--code-index", db.toString(), fixture("images/a").toString(), "-k", "6",
                "--weights", weights, "--out", out.toString(), "--backend", "cpu");
        assertTrue(found.out().contains("distance"), found.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("asymmetric-squared-l2", json.get("distance").asText());
        for (JsonNode q : json.get("results")) {
            JsonNode hits = q.get("hits");
            assertEquals(6, hits.size());
            double best = hits.get(0).get("score").asDouble();
            boolean self = false;
            for (int r = 0; r < hits.size(); r++) {
                double d = hits.get(r).get("score").asDouble();
                assertTrue(r == 0 || d >= hits.get(r - 1).get("score").asDouble(), "nearest first");
                // its own code is its nearest codeword in every codebook: no item is nearer
                self |= hits.get(r).get("path").asText().equals(q.get("query").asText()) && d <= best + 1e-5;
            }
            assertTrue(self, "query " + q.get("query") + " finds itself first (or tied): " + hits);
        }
        ok("embed", "--folder", IMAGES, "--weights", weights, "--out", dir.resolve("e").toString(), "--backend",
                "cpu");
        JsonNode info = new ObjectMapper().readTree(dir.resolve("e/embed.json").toFile());
        assertEquals(32, info.get("dim").asInt(), "features: 4 codebooks x 8");
        CliRun eval = ok("eval", "--protocol", "hashing", "--query-embeddings", dir.resolve("e").toString(),
                "--code-index", db.toString(), "--map-at", "5", "--precision-at", "1,2", "--out",
                dir.resolve("eval").toString());
        assertTrue(eval.out().contains("mAP@5"), eval.out());
    }

    @Test
    void mismatchesAreOneLineAndWriteNothing(@TempDir Path dir) throws Exception {
        String weights = model(dir, "sscq.safetensors", 1).toString();
        String other = model(dir, "other.safetensors", 2).toString();
        Path db = dir.resolve("db.u4jc");
        ok("index", "--code-index", db.toString(), "--folder", IMAGES, "--weights", weights, "--backend", "cpu");
        byte[] before = Files.readAllBytes(db);
        Path out = dir.resolve("out");
        error(args("search", "--code-index", db.toString(), fixture("images/a/a0.png").toString(), "--weights", other,
                "--out", out.toString(), "--backend", "cpu"), "sscq.safetensors", "other.safetensors");
        Path truncated = dir.resolve("truncated.u4jc");
        Files.write(truncated, java.util.Arrays.copyOf(before, before.length - 7));
        error(args("search", "--code-index", truncated.toString(), fixture("images/a/a0.png").toString(),
                "--weights", weights, "--out", out.toString(), "--backend", "cpu"), truncated.toString());
        error(args("index", "--code-index", db.toString(), "--folder", IMAGES, "--weights",
                fixture("tiny_vit_fp16.pt").toString(), "--backend", "cpu"), "needs an SSCQ model");
        error(args("index", "--code-index", db.toString(), "--folder", IMAGES, "--weights", weights, "--model",
                "tiny", "--backend", "cpu"), "drop --model");
        assertArrayEquals(before, Files.readAllBytes(db), "the index is unchanged");
        assertFalse(Files.exists(out));
    }
}
