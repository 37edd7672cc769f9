package org.unicom4j.cli.embed;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.cli.CliRun;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitInitializer;
import org.unicom4j.retrieval.embeddings.EmbeddingManifest;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.retrieval.embeddings.ManifestEntry;

/** {@code unicom4j embed}: outputs against a PyTorch reference, every source kind, and its one-line errors. */
class EmbedCommandTest {
    private static final String PT = fixture("tiny_vit_fp16.pt").toString();
    private static final String IMAGES = fixture("images").toString();

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void releasedFormatWeightsGiveThePyTorchEmbeddings(String backend, @TempDir Path dir) throws Exception {
        TestBackends.get(backend); // skips (or fails under CI) where the backend is unavailable
        Path out = dir.resolve("out");
        CliRun r = ok("embed", "--folder", IMAGES, "--weights", PT, "--out", out.toString(), "--backend", backend,
                "--batch", "4");
        assertTrue(r.out().contains("embedded 6 images"), r.out());
        assertTrue(r.err().contains("embedding ImageFolder"), "progress on stderr: " + r.err());
        float[] expected = NpyArray.read(fixture("tiny_vit_expected.npy")).toFloats();
        NpyArray got = NpyArray.read(out.resolve("embeddings.npy"));
        assertArrayEquals(new long[] {6, 16}, got.shape());
        float[] values = got.toFloats();
        for (int i = 0; i < expected.length; i++) {
            // float64 PyTorch maths on the same float16 weights; 16-d head over 256 flat features
            assertEquals(expected[i], values[i], 1e-4 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
        List<ManifestEntry> manifest = EmbeddingManifest.read(out.resolve("manifest.csv"));
        assertEquals(6, manifest.size());
        assertEquals(new ManifestEntry(3, fixture("images/b/b0.png").toString(), 1, "b", ""), manifest.get(3));
        JsonNode info = new ObjectMapper().readTree(out.resolve("embed.json").toFile());
        assertEquals("tiny_vit_fp16.pt:" + Files.size(Path.of(PT)), info.get("model_id").asText());
        assertEquals(64, info.get("model").get("width").asInt(), "shape read off the state dict");
    }

    /**
     * Hugging Face checkpoints as shipped (a CLIPVisionModelWithProjection directory in fp32, a SiglipVisionModel
     * safetensors file in fp16 with its config beside it): the embeddings of the fixture images equal those of
     * tools/make_backbone_fixtures.py's mirror of transformers' preprocessing and towers (float64).
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void huggingFaceCheckpointsGiveThePyTorchEmbeddings(String backend, @TempDir Path dir) throws Exception {
        TestBackends.get(backend);
        for (String[] c : new String[][] {{"hf-clip", "hf-clip", "16", "CLIP"},
            {"hf-siglip/model.safetensors", "hf-siglip", "32", "SIGLIP"}}) {
            Path out = dir.resolve(c[1]);
            CliRun r = ok("embed", "--folder", IMAGES, "--weights", fixture(c[0]).toString(), "--out", out.toString(),
                    "--backend", backend, "--batch", "4");
            assertTrue(r.err().contains(c[1]), r.err());
            double[] expected = NpyArray.read(fixture(c[1] + "/expected.npy")).toDoubles();
            NpyArray got = NpyArray.read(out.resolve("embeddings.npy"));
            assertArrayEquals(new long[] {6, Integer.parseInt(c[2])}, got.shape());
            float[] values = got.toFloats();
            double scale = java.util.Arrays.stream(expected).map(Math::abs).max().orElseThrow();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], values[i], 1e-5 * scale, c[1] + " element " + i);
            }
            JsonNode info = new ObjectMapper().readTree(out.resolve("embed.json").toFile());
            assertEquals(c[3], info.get("model").get("family").asText());
            assertTrue(info.get("model_id").asText().startsWith(c[1] + ":"), info.get("model_id").asText());
        }
    }

    @Test
    void aHuggingFaceCheckpointTakesItsShapeFromItsConfig(@TempDir Path dir) throws Exception {
        error(args("embed", "--folder", IMAGES, "--weights", fixture("hf-clip").toString(), "--model", "ViT-B/32",
                "--out", dir.resolve("out").toString()), "a model shape (--model) is for Unicom weights",
                "hf-clip is a Hugging Face checkpoint, whose shape comes from its config.json");
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void jsonLinesManifestReadsBackAsTheSameEntries(@TempDir Path dir) throws Exception {
        ok("embed", "--folder", IMAGES, "--weights", PT, "--out", dir.resolve("csv").toString(), "--backend", "cpu");
        ok("embed", "--folder", IMAGES, "--weights", PT, "--out", dir.resolve("jsonl").toString(), "--backend", "cpu",
                "--manifest-format", "jsonl", "--limit", "4");
        EmbeddingSet csv = EmbeddingSet.read(dir.resolve("csv"), null);
        EmbeddingSet jsonl = EmbeddingSet.read(dir.resolve("jsonl"), null);
        assertEquals(4, jsonl.rows());
        assertEquals(csv.entries().subList(0, 4), jsonl.entries());
        assertArrayEquals(java.util.Arrays.copyOf(csv.vectors().data(), 4 * 16), jsonl.vectors().data());
        assertTrue(Files.readString(dir.resolve("jsonl/manifest.jsonl")).startsWith("{\"row\":0,"));
    }

    @Test
    void grayscaleIdxImagesAreReplicatedToTheModelsThreeChannels(@TempDir Path dir) throws Exception {
        int n = 5, size = 16;
        byte[] pixels = new byte[n * size * size];
        new Random(3).nextBytes(pixels);
        byte[] labels = {0, 1, 2, 1, 0};
        Path images = dir.resolve("images-idx3-ubyte"), labelFile = dir.resolve("labels-idx1-ubyte");
        IdxFiles.writeImages(images, pixels, n, size, size);
        IdxFiles.writeLabels(labelFile, labels);
        // The same pictures as RGB PNGs with the gray value in every channel, one class folder each.
        Path folder = dir.resolve("rgb");
        for (int i = 0; i < n; i++) {
            BufferedImage rgb = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < size * size; p++) {
                int v = pixels[i * size * size + p] & 0xff;
                rgb.setRGB(p % size, p / size, v << 16 | v << 8 | v);
            }
            Path file = folder.resolve("c" + i).resolve("img.png");
            Files.createDirectories(file.getParent());
            ImageIO.write(rgb, "png", file.toFile());
        }
        ok("embed", "--idx", images.toString(), labelFile.toString(), "--weights", PT, "--out",
                dir.resolve("idx").toString(), "--backend", "cpu");
        ok("embed", "--folder", folder.toString(), "--weights", PT, "--out", dir.resolve("png").toString(),
                "--backend", "cpu");
        EmbeddingSet idx = EmbeddingSet.read(dir.resolve("idx"), null);
        assertArrayEquals(EmbeddingSet.read(dir.resolve("png"), null).vectors().data(), idx.vectors().data());
        assertArrayEquals(new int[] {0, 1, 2, 1, 0}, idx.labels());
        assertEquals(images.toAbsolutePath() + "#4", idx.entries().get(4).path());
    }

    @Test
    void safetensorsWithTheConfigInItsMetadataNeedNoModelOption(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("tiny.safetensors");
        try (CpuBackend backend = new CpuBackend(); VisionTransformer model = new VisionTransformer(backend,
                VitConfig.TINY)) {
            VitInitializer.initializeFromScratch(model, 5);
            SafetensorsWriter.write(weights, StateDictIo.toStateDict(model)
                    .withMetadata(Map.of("vit_config", VitConfig.TINY.toJson())));
        }
        ok("embed", "--folder", IMAGES, "--weights", weights.toString(), "--out", dir.resolve("st").toString(),
                "--backend", "cpu");
        ok("embed", "--folder", IMAGES, "--random-weights", "5", "--model", "tiny", "--out",
                dir.resolve("random").toString(), "--backend", "cpu");
        assertArrayEquals(NpyArray.read(dir.resolve("random/embeddings.npy")).toFloats(),
                NpyArray.read(dir.resolve("st/embeddings.npy")).toFloats());
    }

    @Test
    void tokensAreTheRowsTheModelsHeadProjects(@TempDir Path dir) throws Exception {
        ok("embed", "--folder", IMAGES, "--random-weights", "5", "--model", "tiny", "--output", "tokens", "--out",
                dir.resolve("tokens").toString(), "--backend", "cpu");
        NpyArray rows = NpyArray.read(dir.resolve("tokens/embeddings.npy"));
        assertEquals(VitConfig.TINY.flatDim(), rows.shape()[1], "tokens x width");
        JsonNode info = new ObjectMapper().readTree(dir.resolve("tokens/embed.json").toFile());
        assertEquals("tokens", info.path("output").asText());
        assertEquals(VitConfig.TINY.flatDim(), info.path("dim").asInt());
        error(args("embed", "--folder", IMAGES, "--random-weights", "5", "--model", "tiny", "--output", "logits",
                "--out", dir.resolve("x").toString()), "--output 'logits': expected embedding or tokens");
    }

    @Test
    void badImagesAreSkippedAndListedOrStopTheRun(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("images");
        for (String f : List.of("a/a0.png", "a/a1.png", "b/b0.png")) {
            Files.createDirectories(folder.resolve(f).getParent());
            Files.copy(fixture("images/" + f), folder.resolve(f));
        }
        Path broken = folder.resolve("b/broken.jpg");
        Files.write(broken, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0x00, 0x11});
        CliRun r = ok("embed", "--folder", folder.toString(), "--weights", PT, "--out", dir.resolve("skip").toString(),
                "--backend", "cpu");
        assertTrue(r.out().contains("embedded 3 images (1 skipped)"), r.out());
        assertTrue(r.err().contains("broken.jpg"), r.err());
        assertEquals(3, EmbeddingSet.read(dir.resolve("skip"), null).rows());
        error(args("embed", "--folder", folder.toString(), "--weights", PT, "--out", dir.resolve("stop").toString(),
                "--backend", "cpu", "--on-bad-image", "stop"), broken.toString());
        assertFalse(Files.exists(dir.resolve("stop/embeddings.npy")), "nothing half-written");
    }

    @Test
    void weightsOfAnotherShapeAreOneLineNamingTheKeyAndShapes(@TempDir Path dir) {
        Path out = dir.resolve("out");
        error(args("embed", "--folder", IMAGES, "--weights", PT, "--model", "small", "--out", out.toString(),
                "--backend", "cpu"), "tiny_vit_fp16.pt", "pos_embed", "(1, 4, 64)", "expected (1, 64, 192)");
        assertFalse(Files.exists(out), "no output folder for a failed run");
    }

    @Test
    void badArgumentsAreOneLineErrors(@TempDir Path dir) {
        String out = dir.resolve("out").toString();
        error(args("embed", "--weights", PT, "--out", out), "no images", "--folder");
        error(args("embed", "--folder", IMAGES, "--csv", "x.csv", "--weights", PT, "--out", out),
                "several image sources");
        error(args("embed", "--folder", IMAGES, "--split", "test", "--weights", PT, "--out", out),
                "--split applies to");
        error(args("embed", "--folder", IMAGES, "--out", out), "no model", "--weights");
        error(args("embed", "--folder", IMAGES, "--random-weights", "--out", out), "--random-weights needs --model");
        error(args("embed", "--folder", IMAGES, "--weights", dir.resolve("nope.pt").toString(), "--out", out),
                "nope.pt: weights not found");
        error(args("embed", "--folder", dir.resolve("nowhere").toString(), "--weights", PT, "--out", out),
                "nowhere");
        error(args("embed", "--folder", IMAGES, "--weights", PT, "--model", "vit-h-99", "--out", out),
                "--model 'vit-h-99' is neither a preset");
        error(args("embed", "--folder", IMAGES, "--weights", PT, "--backend", "cuda9", "--out", out),
                "unknown backend 'cuda9'");
        error(args("embed", "--folder", IMAGES, "--weights", PT, "--manifest-format", "xml", "--out", out),
                "--manifest-format 'xml'");
        error(args("embed", "--no-such-option"), "Unknown option", "--help");
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void helpDescribesTheOutputs() {
        CliRun r = ok("embed", "--help");
        assertTrue(r.out().contains("embeddings.npy") && r.out().contains("--weights") && r.out().contains("--idx"),
                r.out());
    }
}
