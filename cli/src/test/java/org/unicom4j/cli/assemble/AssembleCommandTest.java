package org.unicom4j.cli.assemble;

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
import org.unicom4j.cli.embed.IdxFiles;
import org.unicom4j.retrieval.embeddings.EmbeddingManifest;
import org.unicom4j.retrieval.embeddings.ManifestEntry;

/**
 * {@code unicom4j assemble} on small generated sources: an ImageFolder (the fixture images: classes a and b of 3),
 * a CSV (k1 of 3 images, k2 of 1) and an IDX pair (labels 0 0 1 1 1 2), with label offsets, the minimum of 3 per
 * class, the caps (classes=, max-per-class, max-images) and the summary; {@code embed --csv} reads the result; bad
 * sources are one-line errors.
 */
class AssembleCommandTest {

    private static Path sources(Path dir) throws Exception {
        Path csv = dir.resolve("list.csv");
        String a = fixture("images/a/a0.png").toString(), b = fixture("images/b/b1.png").toString();
        Files.writeString(csv, "path,label\n" + a + ",k1\n" + a + ",k1\n" + b + ",k1\n" + b + ",k2\n");
        byte[] px = new byte[6 * 5 * 5];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        IdxFiles.writeImages(dir.resolve("img"), px, 6, 5, 5);
        IdxFiles.writeLabels(dir.resolve("lab"), new byte[] {0, 0, 1, 1, 1, 2});
        return csv;
    }

    @Test
    void mergesSourcesWithOffsetsAndTheEmbedCommandReadsTheCsv(@TempDir Path dir) throws Exception {
        Path list = sources(dir);
        Path out = dir.resolve("m4d/train.csv");
        CliRun r = ok("assemble", "--source", "folder:" + fixture("images") + ",name=shapes", "--source", "csv:" + list,
                "--source", "idx:" + dir.resolve("img") + ",labels=" + dir.resolve("lab") + ",name=digits",
                "--out", out.toString());
        assertTrue(r.out().contains("wrote " + out + " (12 images, 4 classes)"), r.out());
        assertTrue(r.out().contains("digits"), r.out());
        // shapes: a -> 0, b -> 1; list.csv: k1 -> 2 (k2 dropped); digits: 1 -> 3 (classes 0 and 2 dropped)
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("m4d/train.summary.json").toFile());
        assertEquals(4, summary.get("classes").asInt());
        JsonNode digits = summary.get("sources").get(2);
        assertEquals(3, digits.get("label_offset").asInt());
        assertEquals("{\"in\":3,\"kept\":1}", digits.get("classes").toString());
        assertEquals("{\"in\":6,\"kept\":3}", digits.get("images").toString());
        assertEquals(3, digits.get("dropped").get("below_min_per_class").asInt());
        assertEquals(1, summary.get("sources").get(1).get("dropped").get("below_min_per_class").asInt());
        assertTrue(Files.readString(out).startsWith("img_path,label\n"));
        assertTrue(Files.isRegularFile(dir.resolve("m4d/images/digits/000004.png")));

        Path emb = dir.resolve("emb");
        ok("embed", "--csv", out.toString(), "--random-weights", "--model", "tiny", "--out", emb.toString(),
                "--backend", "cpu");
        var labels = EmbeddingManifest.read(emb.resolve("manifest.csv")).stream().map(ManifestEntry::label).toList();
        assertEquals(java.util.List.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3), labels);
    }

    @Test
    void capsAreRecordedInTheSummary(@TempDir Path dir) throws Exception {
        Path list = sources(dir);
        ok("assemble", "--source", "csv:" + list + ",max-per-class=2", "--source", "folder:" + fixture("images")
                + ",max-images=4", "--source", "idx:" + dir.resolve("img") + ",labels=" + dir.resolve("lab")
                + ",classes=2+1,name=digits", "--min-per-class", "2", "--out", dir.resolve("t.csv").toString());
        JsonNode sources = new ObjectMapper().readTree(dir.resolve("t.summary.json").toFile()).get("sources");
        assertEquals(1, sources.get(0).get("dropped").get("over_max_per_class").asInt());
        assertEquals(2, sources.get(0).get("caps").get("max_per_class").asInt());
        assertEquals(3, sources.get(1).get("dropped").get("over_max_images").asInt(), "one of the two classes of 3");
        assertEquals(3, sources.get(1).get("images").get("kept").asInt());
        // digits: classes= keeps 1 (3 images) and 2 (1 image, under the minimum); class 0's 2 images are outside
        JsonNode digits = sources.get(2);
        assertEquals("[\"2\",\"1\"]", digits.get("caps").get("classes").toString());
        assertEquals(2, digits.get("dropped").get("outside_classes").asInt());
        assertEquals(1, digits.get("dropped").get("below_min_per_class").asInt());
        assertEquals("{\"in\":3,\"kept\":1}", digits.get("classes").toString());
    }

    @Test
    void badSourcesAreOneLineErrorsAndWriteNothing(@TempDir Path dir) throws Exception {
        Path list = sources(dir);
        String out = dir.resolve("o/t.csv").toString();
        error(args("assemble", "--source", "tar:x.tar", "--out", out), "kind 'tar' is not one of csv, folder");
        Files.writeString(dir.resolve("bad.csv"), "a.png,1\nb.png\n");
        error(args("assemble", "--source", "csv:" + dir.resolve("bad.csv"), "--out", out),
                dir.resolve("bad.csv") + ":2: expected 'path,label', got 'b.png'");
        error(args("assemble", "--source", "csv:" + list, "--source", "csv:" + list, "--out", out),
                "two sources have the same name");
        Files.createDirectories(dir.resolve("o/images"));
        error(args("assemble", "--source", "idx:" + dir.resolve("img") + ",labels=" + dir.resolve("lab"), "--out",
                out), "o/images");
        assertFalse(Files.exists(dir.resolve("o/t.csv")));
    }
}
