package org.unicom4j.cli.eval;

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
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.cli.CliRun;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.codeindex.CodeIndex;
import org.unicom4j.retrieval.codeindex.CodeItems;
import org.unicom4j.retrieval.embeddings.EmbeddingManifest;
import org.unicom4j.retrieval.embeddings.ManifestEntry;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.index.ProductQuantizer;

/** {@code unicom4j eval}: each protocol on embeddings whose metrics are worked out by hand, and its errors. */
class EvalCommandTest {
    private static final String PT = fixture("tiny_vit_fp16.pt").toString();

    /** Writes rows and a manifest (labels, splits) as embed would, into {@code dir}. */
    private static Path embeddings(Path dir, float[] rows, int dim, int[] labels, String[] splits) throws IOException {
        Files.createDirectories(dir);
        NpyArray.ofFloats(rows, labels.length, dim).write(dir.resolve("embeddings.npy"));
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            entries.add(new ManifestEntry(i, "/img/" + i + ".jpg", labels[i], "c" + labels[i], splits[i]));
        }
        EmbeddingManifest.write(dir.resolve("manifest.csv"), entries);
        return dir;
    }

    private static float[] angles(double... degrees) {
        float[] out = new float[degrees.length * 2];
        for (int i = 0; i < degrees.length; i++) {
            out[2 * i] = (float) Math.cos(Math.toRadians(degrees[i]));
            out[2 * i + 1] = (float) Math.sin(Math.toRadians(degrees[i]));
        }
        return out;
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void leaveOneOutRecallAndMapAtR(@TempDir Path dir) throws Exception {
        // Unit vectors at 0, 30, 100, 140 degrees with labels 0, 1, 0, 1: every nearest neighbour is of the other
        // class (R@1 = 0, mAP@R = 0); the second nearest finds the class for the items at 0 and 140 (R@2 = 1/2).
        Path e = embeddings(dir.resolve("e"), angles(0, 30, 100, 140), 2, new int[] {0, 1, 0, 1},
                new String[] {"test", "test", "test", "test"});
        CliRun r = ok("eval", "--embeddings", e.toString(), "--ks", "1,2", "--out", dir.resolve("out").toString(),
                "--backend", "cpu");
        assertTrue(r.out().contains("R@1") && r.out().contains("mAP@R"), r.out());
        JsonNode report = json(dir.resolve("out/eval.json"));
        assertEquals("leave-one-out", report.get("protocol").asText());
        JsonNode m = report.get("metrics").elements().next();
        assertEquals(0.0, m.get("R@1").asDouble(), 1e-9);
        assertEquals(0.5, m.get("R@2").asDouble(), 1e-9);
        assertEquals(0.0, m.get("mAP@R").asDouble(), 1e-9);
    }

    @Test
    void anEmbeddingPrefixKeepsTheFirstDimsOfTheNormalisedVectors(@TempDir Path dir) throws Exception {
        // (+-0.6, +-0.8): in 2-D each point's nearest is across x (other class); on x alone its twin is at 0.
        float[] rows = {0.6f, 0.8f, 0.6f, -0.8f, -0.6f, 0.8f, -0.6f, -0.8f};
        Path e = embeddings(dir.resolve("e"), rows, 2, new int[] {0, 0, 1, 1}, new String[] {"", "", "", ""});
        ok("eval", "--embeddings", e.resolve("embeddings.npy").toString(), "--ks", "1", "--out",
                dir.resolve("full").toString(), "--backend", "cpu");
        ok("eval", "--embeddings", e.toString(), "--ks", "1", "--prefix", "1", "--out", dir.resolve("x").toString(),
                "--backend", "cpu");
        assertEquals(0.0, json(dir.resolve("full/eval.json")).get("metrics").elements().next().get("R@1").asDouble());
        JsonNode prefix = json(dir.resolve("x/eval.json"));
        assertEquals(1, prefix.get("prefix").asInt());
        assertEquals(1.0, prefix.get("metrics").elements().next().get("R@1").asDouble());
    }

    @Test
    void queryGalleryIsChosenFromTheManifestSplits(@TempDir Path dir) throws Exception {
        // Queries at 0 (label 0) and 90 degrees (label 1); gallery at 75 (0), 10 (1), 100 (1).
        // q0 ranks 10, 75, 100: R@1 0, R@2 1, AP@R 0; q1 ranks 100, 75, 10: R@1 1, AP@R (1 + 0) / 2.
        Path e = embeddings(dir.resolve("e"), angles(0, 90, 75, 10, 100), 2, new int[] {0, 1, 0, 1, 1},
                new String[] {"query", "query", "gallery", "gallery", "gallery"});
        ok("eval", "--embeddings", e.toString(), "--ks", "1,2", "--out", dir.resolve("out").toString(),
                "--backend", "cpu");
        JsonNode report = json(dir.resolve("out/eval.json"));
        assertEquals("query-gallery", report.get("protocol").asText());
        JsonNode m = report.get("metrics").elements().next();
        assertEquals(0.5, m.get("R@1").asDouble(), 1e-9);
        assertEquals(1.0, m.get("R@2").asDouble(), 1e-9);
        assertEquals(0.25, m.get("mAP@R").asDouble(), 1e-9);
    }

    @Test
    void compactnessCurveAtThePrefixesUpToTheDim(@TempDir Path dir) throws Exception {
        int n = 40, dim = 64;
        float[] rows = new float[n * dim];
        int[] labels = new int[n];
        Random random = new Random(4);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
            for (int j = 0; j < dim; j++) {
                // the class shows in the first 8 dims only
                rows[i * dim + j] = (float) random.nextGaussian() * 0.3f + (j < 8 && j % 4 == labels[i] ? 3 : 0);
            }
        }
        Path e = embeddings(dir.resolve("e"), rows, dim, labels, new String[n]);
        CliRun r = ok("eval", "--embeddings", e.toString(), "--protocol", "compactness", "--out",
                dir.resolve("out").toString(), "--backend", "cpu");
        assertTrue(r.out().contains("32 dims") && r.out().contains("64 dims"), r.out());
        JsonNode report = json(dir.resolve("out/eval.json"));
        assertEquals("[32,64]", report.get("dims").toString());
        assertEquals(1.0, report.get("metrics").get("32 dims").get("R@1").asDouble(), 1e-9);
    }

    @Test
    void revisitedMapFromPrecomputedEmbeddings(@TempDir Path dir) throws Exception {
        // Database rows are the unit axes; each query's weights give its ranking:
        // q0 ranks 3, 0, 5, 2, 1, 4 and q1 ranks 4, 3, 5, 0, 1, 2 (ground truth in gnd_tiny.pkl).
        float[] database = new float[36];
        for (int i = 0; i < 6; i++) {
            database[i * 6 + i] = 1;
        }
        float[] queries = {5, 2, 3, 6, 1, 4, /* q1 */ 3, 2, 1, 5, 6, 4};
        NpyArray.ofFloats(database, 6, 6).write(dir.resolve("db.npy"));
        NpyArray.ofFloats(queries, 2, 6).write(dir.resolve("q.npy"));
        ok("eval", "--gnd", fixture("gnd_tiny.pkl").toString(), "--embeddings", dir.resolve("db.npy").toString(),
                "--query-embeddings", dir.resolve("q.npy").toString(), "--out", dir.resolve("out").toString(),
                "--backend", "cpu");
        JsonNode m = json(dir.resolve("out/eval.json")).get("metrics").get("tiny");
        // q0 (revisitop's trapezoid AP): Easy: positives at junk-free ranks 1 and 2 -> (0 + 1/2)/4 + (1/2 + 2/3)/4;
        // Medium: ranks 1, 2, 3 -> [(0 + 1/2) + (1/2 + 2/3) + (2/3 + 3/4)] / 6; Hard: rank 1 -> (0 + 1/2)/2.
        // q1 scores 1 in all three.
        double q0Easy = 0.5 / 4 + (0.5 + 2.0 / 3) / 4;
        double q0Medium = (0.5 + (0.5 + 2.0 / 3) + (2.0 / 3 + 0.75)) / 6;
        assertEquals((q0Easy + 1) / 2, m.get("mAP E").asDouble(), 1e-9);
        assertEquals((q0Medium + 1) / 2, m.get("mAP M").asDouble(), 1e-9);
        assertEquals((0.25 + 1) / 2, m.get("mAP H").asDouble(), 1e-9);
    }

    @Test
    void revisitedFromImagesCropsTheQueries(@TempDir Path dir) throws Exception {
        Path jpg = dir.resolve("jpg");
        Files.createDirectories(jpg);
        int i = 0;
        for (String f : List.of("a/a0", "a/a1", "a/a2", "b/b0", "b/b1", "b/b2")) {
            BufferedImage image = ImageIO.read(fixture("images/" + f + ".png").toFile());
            ImageIO.write(image, "jpeg", jpg.resolve("db" + i++ + ".jpg").toFile());
        }
        Files.copy(fixture("gnd_tiny.pkl"), dir.resolve("gnd_tiny.pkl"));
        CliRun r = ok("eval", "--gnd", dir.resolve("gnd_tiny.pkl").toString(), "--weights", PT, "--out",
                dir.resolve("out").toString(), "--backend", "cpu");
        assertTrue(r.err().contains("tiny queries (cropped)"), r.err());
        JsonNode report = json(dir.resolve("out/eval.json"));
        assertEquals(6, report.get("database").asInt());
        for (String p : List.of("mAP E", "mAP M", "mAP H")) {
            double v = report.get("metrics").get("tiny").get(p).asDouble();
            assertTrue(v > 0 && v <= 1, p + " = " + v);
        }
        Files.delete(jpg.resolve("db4.jpg"));
        error(args("eval", "--gnd", dir.resolve("gnd_tiny.pkl").toString(), "--weights", PT, "--out",
                dir.resolve("out2").toString(), "--backend", "cpu"), "db4.jpg");
        assertFalse(Files.exists(dir.resolve("out2")));
    }

    @Test
    void evaluatesImagesWithWeightsDirectly(@TempDir Path dir) throws Exception {
        ok("eval", "--folder", fixture("images").toString(), "--weights", PT, "--out", dir.resolve("out").toString(),
                "--backend", "cpu");
        JsonNode report = json(dir.resolve("out/eval.json"));
        assertEquals(6, report.get("rows").asInt());
        assertEquals(16, report.get("dim").asInt());
        assertTrue(report.get("model_id").asText().startsWith("tiny_vit_fp16.pt:"));
    }

    @Test
    void badArgumentsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path e = embeddings(dir.resolve("e"), angles(0, 30, 100, 140), 2, new int[] {0, 1, 0, 1},
                new String[] {"", "", "", ""});
        String out = dir.resolve("out").toString();
        error(args("eval", "--protocol", "revisited", "--embeddings", e.toString(), "--out", out), "needs --gnd");
        error(args("eval", "--gnd", fixture("gnd_tiny.pkl").toString(), "--protocol", "compactness", "--out", out),
                "--gnd is for --protocol revisited");
        error(args("eval", "--embeddings", e.toString(), "--weights", PT, "--out", out), "already embedded");
        error(args("eval", "--out", out), "nothing to evaluate");
        error(args("eval", "--embeddings", e.toString(), "--prefix", "3", "--out", out), "--prefix 3 outside 1..2");
        error(args("eval", "--embeddings", e.toString(), "--protocol", "query-gallery", "--out", out),
                "0 query and 0 gallery rows");
        error(args("eval", "--embeddings", e.toString(), "--protocol", "map@5", "--out", out),
                "--protocol 'map@5'");
        error(args("eval", "--embeddings", dir.resolve("missing.npy").toString(), "--out", out),
                "missing.npy: embeddings file not found");
        error(args("eval", "--gnd", fixture("gnd_tiny.pkl").toString(), "--embeddings", e.toString(),
                "--query-embeddings", e.resolve("embeddings.npy").toString(), "--out", out), "[4, 2]",
                "expected float [6, dim]");
        Files.delete(e.resolve("manifest.csv"));
        error(args("eval", "--embeddings", e.toString(), "--out", out), "no manifest beside it", "--manifest");
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void theSameLabelsGiveTheSameRowsThroughTheManifest(@TempDir Path dir) throws Exception {
        Path e = embeddings(dir.resolve("e"), angles(0, 30, 100, 140), 2, new int[] {0, 1, 0, 1},
                new String[] {"", "", "", ""});
        ok("eval", "--embeddings", e.toString(), "--out", dir.resolve("out").toString(), "--backend", "cpu");
        assertArrayEquals(new int[] {0, 1, 0, 1},
                EmbeddingManifest.read(e.resolve("manifest.csv")).stream().mapToInt(ManifestEntry::label).toArray());
    }

    /**
     * Hashing on float embeddings: database at 0, 10, 100, 110 degrees (labels 0, 0, 1, 1), queries at 5 degrees
     * (label 0: ranks rows 0/1 first, AP@2 = 1) and 52 degrees (label 1: rows 1 (42), 2 (48), 0 (52), 3 (58) degrees
     * away, rel [0, 1], AP@2 = 1/2). mAP@2 = 3/4, P@1 = (1 + 0) / 2, P@2 = (1 + 1/2) / 2.
     */
    @Test
    void hashingOnFloatEmbeddings(@TempDir Path dir) throws Exception {
        Path db = embeddings(dir.resolve("db"), angles(0, 10, 100, 110), 2, new int[] {0, 0, 1, 1},
                new String[] {"", "", "", ""});
        Path q = embeddings(dir.resolve("q"), angles(5, 52), 2, new int[] {0, 1}, new String[] {"", ""});
        Path out = dir.resolve("out");
        CliRun r = ok("eval", "--protocol", "hashing", "--query-embeddings", q.toString(), "--embeddings",
                db.toString(), "--map-at", "2", "--precision-at", "1,2", "--out", out.toString(), "--backend", "cpu");
        assertTrue(r.out().contains("mAP@2"), r.out());
        JsonNode m = json(out.resolve("eval.json")).get("metrics").elements().next();
        assertEquals(0.75, m.get("mAP@2").asDouble(), 1e-9);
        assertEquals(0.5, m.get("P@1").asDouble(), 1e-9);
        assertEquals(0.75, m.get("P@2").asDouble(), 1e-9);
        JsonNode curve = json(out.resolve("hashing.json")).get("results").get(0).get("precision_recall");
        assertEquals(1.0, curve.get("recall").get(curve.get("recall").size() - 1).asDouble(), 1e-9);
        assertEquals(720, ImageIO.read(out.resolve("precision-recall.png").toFile()).getWidth());
    }

    /**
     * Hashing against a code index: two 1-d subspaces of 16 centroids at 0..15, database codes (0, 0), (1, 1),
     * (9, 9), (10, 10) with labels 0, 0, 1, 1; the query (0.4, 0.4) (label 0) ranks rows 0, 1 first by each
     * distance (mAP@2 = 1), the query (9.6, 9.6) (label 1) ranks rows 3, 2 first (mAP@2 = 1); the symmetric
     * distance gives the same. An index from another model than the queries' is refused.
     */
    @Test
    void hashingOnACodeIndex(@TempDir Path dir) throws Exception {
        float[] centroids = new float[16];
        for (int i = 0; i < 16; i++) {
            centroids[i] = i;
        }
        ProductQuantizer pq = ProductQuantizer.fromCodebooks(new float[][] {centroids, centroids}, 1);
        Path file = dir.resolve("codes.u4jc");
        CodeIndex.ofCodes("model-a", pq, new byte[] {0, 0, 1, 1, 9, 9, 10, 10}, CodeItems.ofLabels(new int[] {0, 0, 1,
            1}), CodeDistance.ASYMMETRIC_L2_SUM).save(file);
        Path q = embeddings(dir.resolve("q"), new float[] {0.4f, 0.4f, 9.6f, 9.6f}, 2, new int[] {0, 1},
                new String[] {"", ""});
        for (String distance : new String[] {"asymmetric-squared-l2", "symmetric-l2-sum"}) {
            Path out = dir.resolve("out-" + distance);
            ok("eval", "--protocol", "hashing", "--query-embeddings", q.toString(), "--code-index", file.toString(),
                    "--distance", distance, "--map-at", "2", "--precision-at", "2", "--out", out.toString());
            JsonNode report = json(out.resolve("eval.json"));
            assertEquals(distance, report.get("distance").asText());
            assertEquals(1.0, report.get("metrics").elements().next().get("mAP@2").asDouble(), 1e-9);
        }
        Files.writeString(q.resolve("embed.json"), "{\"model_id\": \"model-b\"}");
        String out = dir.resolve("bad").toString();
        error(args("eval", "--protocol", "hashing", "--query-embeddings", q.toString(), "--code-index",
                file.toString(), "--out", out), file + ": code index of model 'model-a', expected model 'model-b'");
        error(args("eval", "--protocol", "hashing", "--query-embeddings", q.toString(), "--out", out),
                "--query-embeddings and one database");
        assertFalse(Files.exists(dir.resolve("bad")));
    }

    /**
     * mMP@5 on the raw 1-D embeddings 0, 1, 3, 3.5, 10, 11 (labels a a b b a b), worked out in
     * retrieval's BenchmarkProtocolsTest: queries 0.9 (b) and 10.4 (a) score 1/3 each; leave-one-out 5/12.
     */
    @Test
    void mmpAt5QueriesAgainstAnIndexAndLeaveOneOut(@TempDir Path dir) throws Exception {
        String[] none = {"", "", "", "", "", ""};
        Path index = embeddings(dir.resolve("index"), new float[] {0, 1, 3, 3.5f, 10, 11}, 1,
                new int[] {0, 0, 1, 1, 0, 1}, none);
        Path q = embeddings(dir.resolve("q"), new float[] {0.9f, 10.4f}, 1, new int[] {1, 0}, new String[] {"", ""});
        CliRun r = ok("eval", "--protocol", "mmp5", "--embeddings", index.toString(), "--query-embeddings",
                q.toString(), "--out", dir.resolve("out").toString(), "--backend", "cpu");
        assertTrue(r.out().contains("mMP@5"), r.out());
        JsonNode report = json(dir.resolve("out/eval.json"));
        assertEquals("queries against the index", report.get("mode").asText());
        assertEquals(2, report.get("queries").asInt());
        assertEquals(1.0 / 3, report.get("metrics").elements().next().get("mMP@5").asDouble(), 1e-9);
        ok("eval", "--protocol", "mMP@5", "--embeddings", index.toString(), "--out", dir.resolve("loo").toString(),
                "--backend", "cpu");
        JsonNode loo = json(dir.resolve("loo/eval.json"));
        assertEquals("leave-one-out", loo.get("mode").asText());
        assertEquals(5.0 / 12, loo.get("metrics").elements().next().get("mMP@5").asDouble(), 1e-9);
    }

    /**
     * mAP@100 of one set's query rows (0 degrees, label 0; 90, label 1) against its gallery rows (75 (0), 10 (1),
     * 100 (1)): q0 ranks 10, 75, 100, rel 010, |GT| 1: AP 1/2; q1 ranks 100, 75, 10, rel 101, |GT| 2:
     * (1/2)(1 + 2/3) = 5/6; mAP@100 = 2/3.
     */
    @Test
    void mapAt100OfTheQueryRowsAgainstTheGalleryRows(@TempDir Path dir) throws Exception {
        Path e = embeddings(dir.resolve("e"), angles(0, 90, 75, 10, 100), 2, new int[] {0, 1, 0, 1, 1},
                new String[] {"query", "query", "gallery", "gallery", "gallery"});
        ok("eval", "--protocol", "map100", "--embeddings", e.toString(), "--out", dir.resolve("out").toString(),
                "--backend", "cpu");
        JsonNode report = json(dir.resolve("out/eval.json"));
        assertEquals("map100", report.get("protocol").asText());
        assertEquals("query rows against gallery rows", report.get("mode").asText());
        assertEquals(2.0 / 3, report.get("metrics").elements().next().get("mAP@100").asDouble(), 1e-9);
    }

    /**
     * k-NN top-1 per k, queries at 12 and 36 degrees (label 0) against points at 0, 10, 21, 30, 40 degrees (labels
     * 0 1 0 1 0), worked out in retrieval's BenchmarkProtocolsTest: 1/2 at k = 1, 1 at k = 3.
     */
    @Test
    void knnTopOnePerK(@TempDir Path dir) throws Exception {
        Path index = embeddings(dir.resolve("index"), angles(0, 10, 21, 30, 40), 2, new int[] {0, 1, 0, 1, 0},
                new String[] {"", "", "", "", ""});
        Path q = embeddings(dir.resolve("q"), angles(12, 36), 2, new int[] {0, 0}, new String[] {"", ""});
        CliRun r = ok("eval", "--protocol", "knn", "--knn-k", "1,3", "--embeddings", index.toString(),
                "--query-embeddings", q.toString(), "--out", dir.resolve("out").toString(), "--backend", "cpu");
        assertTrue(r.out().contains("k=1") && r.out().contains("top-1"), r.out());
        JsonNode metrics = json(dir.resolve("out/eval.json")).get("metrics");
        assertEquals(0.5, metrics.get("k=1").get("top-1").asDouble(), 1e-9);
        assertEquals(1.0, metrics.get("k=3").get("top-1").asDouble(), 1e-9);
        String out = dir.resolve("bad").toString();
        error(args("eval", "--protocol", "knn", "--knn-k", "0", "--embeddings", index.toString(), "--out", out),
                "--knn-k must be >= 1, got [0]");
        error(args("eval", "--protocol", "mmp5", "--out", out), "--protocol mmp5 needs the index set");
        Path wide = embeddings(dir.resolve("wide"), new float[12], 3, new int[] {0, 1, 0, 1}, new String[4]);
        error(args("eval", "--protocol", "map100", "--embeddings", index.toString(), "--query-embeddings",
                wide.toString(), "--out", out), "query embeddings of dim 3, the index 2");
        assertFalse(Files.exists(dir.resolve("bad")));
    }
}
