package org.unicom4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.cli.CliRun.args;
import static org.unicom4j.cli.CliRun.error;
import static org.unicom4j.cli.CliRun.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.checkpoint.StateDictReader;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitInitializer;
import org.unicom4j.retrieval.embeddings.EmbeddingManifest;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.retrieval.embeddings.ManifestEntry;

/**
 * {@code demo --method unifex} end to end on a small stand-in for Fashion-MNIST (the four IDX files, 28 x 28, 10
 * classes) and a small random backbone: the multi-domain assembly of both splits from the class groups (sources,
 * label offsets, counts, every CSV row's label) and the features cached from it, every row of the table (the frozen embedding, its PCA, a head per loss), the
 * neighbour grids, each head saved composed with the backbone; and a missing backbone as one line.
 */
class UnifexDemoTest {
    private static final VitConfig BACKBONE = new VitConfig(28, 1, 7, 64, 1, 1, 128, 16, 0.0);

    @TempDir
    Path dir;

    @Test
    void everyLossGetsAHeadBesideTheFrozenFeatures() throws Exception {
        Path data = Files.createDirectories(dir.resolve("fm"));
        idx(data, "train", 320, 1);
        idx(data, "t10k", 100, 2);
        Path backbone = dir.resolve("unicom.safetensors");
        try (CpuBackend backend = new CpuBackend(); VisionTransformer vit = new VisionTransformer(backend, BACKBONE)) {
            VitInitializer.initializeFromScratch(vit, 4);
            SafetensorsWriter.write(backbone, StateDictIo.toStateDict(vit));
        }
        Path out = dir.resolve("demo");
        ok("demo", "--method", "unifex", "--data", data.toString(), "--backbone", backbone.toString(), "--out",
                out.toString(), "--head-epochs", "1", "--head-batch", "32", "--backend", "cpu");
        JsonNode report = new ObjectMapper().readTree(out.resolve("unifex/report.json").toFile());
        assertAssembled(report.path("assembly").path("train"), out.resolve("unifex/assembly/train/set.csv"), 320);
        assertAssembled(report.path("assembly").path("test"), out.resolve("unifex/assembly/eval/set.csv"), 100);
        for (String cache : List.of("tokens", "embedding")) {
            assertCachedFrom(out.resolve("unifex/cache").resolve(cache).resolve("train"),
                    out.resolve("unifex/assembly/train/set.csv"));
            assertCachedFrom(out.resolve("unifex/cache").resolve(cache).resolve("eval"),
                    out.resolve("unifex/assembly/eval/set.csv"));
        }
        List<String> rows = new ArrayList<>();
        report.path("metrics").fieldNames().forEachRemaining(rows::add);
        List<String> expected = new ArrayList<>(List.of("frozen ViT embedding (16-d)", "PCA of it to 16-d"));
        UnifexDemo.HEADS.keySet().forEach(h -> expected.add("head " + h));
        assertEquals(expected, rows);
        for (String row : rows) {
            JsonNode m = report.path("metrics").path(row);
            assertTrue(m.path("R@1").asDouble(-1) >= 0 && m.path("mMP@5").asDouble(-1) >= 0, row + ": " + m);
        }
        assertTrue(Files.size(out.resolve("unifex/neighbours_head.png")) > 0);
        assertTrue(Files.size(out.resolve("unifex/neighbours_frozen.png")) > 0);
        try (var dict = StateDictReader.read(out.resolve("unifex/heads/adaface/head/model.safetensors"))) {
            assertEquals(64, StateDictIo.savedConfig(dict).embedding(), "the head composed with its backbone");
        }
    }

    /**
     * The summary names the three groups with their label offsets and counts (the stand-in has count / 10 images of
     * each label), and every row of the CSV has its Fashion-MNIST label moved into its group's range: the PNG's item
     * number i had label i % 10.
     */
    private static void assertAssembled(JsonNode summary, Path csv, int count) throws IOException {
        JsonNode sources = summary.path("sources");
        assertEquals(3, sources.size(), summary.toString());
        String[] names = {"tops", "footwear", "rest"};
        int[] offsets = {0, 4, 7}, classes = {4, 3, 3};
        for (int s = 0; s < 3; s++) {
            JsonNode source = sources.get(s);
            assertEquals(names[s], source.path("name").asText());
            assertEquals(offsets[s], source.path("label_offset").asInt(), names[s]);
            assertEquals(classes[s], source.path("classes").path("kept").asInt(), names[s]);
            assertEquals(count, source.path("images").path("in").asInt(), names[s]);
            assertEquals(classes[s] * count / 10, source.path("images").path("kept").asInt(), names[s]);
            assertEquals(count - classes[s] * count / 10, source.path("dropped").path("outside_classes").asInt());
        }
        assertEquals(10, summary.path("classes").asInt());
        assertEquals(count, summary.path("images").asInt());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(count + 1, rows.size());
        int[] merged = {0, 7, 1, 8, 2, 4, 3, 5, 9, 6};
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            String file = Path.of(cells[0]).getFileName().toString();
            int item = Integer.parseInt(file.substring(0, file.length() - ".png".length()));
            assertEquals(merged[item % 10], Integer.parseInt(cells[1]), row);
        }
    }

    /** The cached features are the assembled CSV's images, row for row with its labels. */
    private static void assertCachedFrom(Path cache, Path csv) throws IOException {
        JsonNode info = new ObjectMapper().readTree(cache.resolve(EmbeddingSet.INFO).toFile());
        assertEquals("CSV " + csv, info.path("source").asText());
        List<Integer> csvLabels = Files.readAllLines(csv).stream().skip(1)
                .map(r -> Integer.parseInt(r.substring(r.lastIndexOf(',') + 1))).toList();
        assertEquals(csvLabels, EmbeddingManifest.read(cache.resolve(EmbeddingSet.MANIFEST_CSV)).stream()
                .map(ManifestEntry::label).toList());
    }

    @Test
    void aMissingBackboneIsOneLine() throws Exception {
        Path data = Files.createDirectories(dir.resolve("fm"));
        idx(data, "train", 20, 1);
        idx(data, "t10k", 20, 2);
        error(args("demo", "--method", "unifex", "--data", data.toString(), "--out", dir.resolve("d").toString()),
                "--backbone " + dir.resolve("d/unicom/model.safetensors"), "run ./unicom4j demo first");
        error(args("demo", "--method", "dino", "--data", data.toString()),
                "--method 'dino': expected unicom, unifex or sscq");
    }

    /** {@code count} gzipped 28 x 28 IDX images whose brightness pattern depends on the label, and the labels. */
    static void idx(Path dir, String prefix, int count, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[count * 784], labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            labels[i] = (byte) label;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int base = row / 3 == label ? 200 : 30;
                pixels[i * 784 + p] = (byte) Math.min(255, base + random.nextInt(40));
            }
        }
        write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 0x803, new int[] {count, 28, 28}, pixels);
        write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 0x801, new int[] {count}, labels);
    }

    private static void write(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }
}
