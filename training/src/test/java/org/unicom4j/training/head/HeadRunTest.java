package org.unicom4j.training.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.checkpoint.ModelId;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitInitializer;
import org.unicom4j.retrieval.embeddings.EmbeddingManifest;
import org.unicom4j.retrieval.embeddings.ManifestEntry;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.run.TrainingRun;

/**
 * Whole {@code head} runs on cached features in {@code embed}'s layout (a tiny ViT's id, 4 classes): the head learns
 * (its eval Recall@1 beats the raw features'), the model file is the head composed with its backbone (a ViT whose
 * embedding is the head's output) with the head beside it, exact resume with dropout and a running statistic, and
 * bad inputs (features of another model, a manifest that does not match, features of the wrong size) refused in one
 * line before anything is written.
 */
class HeadRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final VitConfig BACKBONE = new VitConfig(8, 1, 4, 16, 1, 2, 32, 12, 0.0);

    @TempDir
    Path dir;

    @BeforeEach
    void data() throws Exception {
        try (VisionTransformer vit = new VisionTransformer(TestBackends.reference(), BACKBONE)) {
            VitInitializer.initializeFromScratch(vit, 3);
            SafetensorsWriter.write(dir.resolve("backbone.safetensors"), StateDictIo.toStateDict(vit));
        }
        String id = ModelId.ofWeights(dir.resolve("backbone.safetensors"));
        features(dir.resolve("train"), 160, 12, 1, id);
        features(dir.resolve("eval"), 60, 12, 2, id);
    }

    /**
     * {@code count} rows in 4 classes: a class direction in 3 of the dims plus noise in all 12 (so the raw features
     * retrieve badly and a head that learns the 3 dims retrieves well), as {@code embed} writes them.
     */
    static void features(Path out, int count, int dim, long seed, String modelId) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        float[] rows = new float[count * dim];
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = i % 4;
            for (int j = 0; j < dim; j++) {
                rows[i * dim + j] = (float) (random.nextGaussian() * (j < 3 ? 0.3 : 1.0));
            }
            if (label < 3) {
                rows[i * dim + label] += 1.5f;
            }
            entries.add(new ManifestEntry(i, "/images/" + i + ".png", label, "c" + label, ""));
        }
        Files.createDirectories(out);
        NpyArray.ofFloats(rows, count, dim).write(out.resolve("embeddings.npy"));
        EmbeddingManifest.write(out.resolve("manifest.csv"), entries);
        Files.writeString(out.resolve("embed.json"), "{\"model_id\": \"" + modelId + "\"}");
    }

    private RunConfig config(String output, String loss, String extra) {
        return RunConfig.parse("""
                {"method": "head",
                 "data": {"train": {"format": "features", "path": "train"},
                          "eval": {"format": "features", "path": "eval"}},
                 "model": {"out": 6, "dropout": 0.2, "batchNorm": true, "backbone": "backbone.safetensors"},
                 "batchSize": 16, "seed": 5, "output": "%s", "checkpoint": {"everySteps": 7, "keep": 10},
                 "stages": [
                   {"name": "raw", "type": "evaluate", "of": "pixels"},
                   {"name": "head", "type": "train", "epochs": 3, "loss": %s, "evalEveryEpoch": false %s},
                   {"name": "eval-head", "type": "evaluate"}]}
                """.formatted(dir.resolve(output), loss, extra), dir, "run.json");
    }

    private static TrainingRun.Result run(RunConfig config, Path resume) throws Exception {
        return new TrainingRun(config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false).run(resume);
    }

    @Test
    void theHeadLearnsAndIsSavedComposedWithItsBackbone() throws Exception {
        TrainingRun.Result result = run(config("a", "{\"type\": \"subcenter-arcface\", \"subCentres\": 2}", ""), null);
        double raw = result.stages().get(0).details().path("metrics").path("R@1").asDouble();
        double head = result.stages().get(2).details().path("metrics").path("R@1").asDouble();
        assertTrue(head > raw + 0.05, "the head retrieves better than the raw features: " + head + " vs " + raw);
        assertEquals(30, result.steps(), "160 rows / 16 = 10 steps per epoch, 3 epochs");
        Path model = dir.resolve("a/head/model.safetensors");
        assertEquals(model, result.model());
        try (var dict = org.unicom4j.model.checkpoint.StateDictReader.read(model);
             VisionTransformer composed = new VisionTransformer(TestBackends.get("cpu"),
                     StateDictIo.savedConfig(dict))) {
            assertEquals(6, composed.config().embedding(), "one ViT whose embedding is the head's output");
            StateDictIo.load(composed, StateDictIo.source(dict));
        }
        assertTrue(Files.isRegularFile(dir.resolve("a/head/head.safetensors")), "the head alone beside it");
    }

    @Test
    void aResumedRunContinuesWithTheSameLossesAndRunningStatistic() throws Exception {
        String loss = "{\"type\": \"curricularface\", \"scale\": 16}";
        run(config("straight", loss, ""), null);
        Path checkpoints = Files.createDirectories(dir.resolve("resumed/head/checkpoints"));
        for (String stage : List.of("raw")) {
            Files.createDirectories(dir.resolve("resumed/" + stage));
            Files.copy(dir.resolve("straight/" + stage + "/result.json"), dir.resolve("resumed/" + stage
                    + "/result.json"));
        }
        Files.copy(dir.resolve("straight/head/checkpoints/step-000000014.safetensors"),
                checkpoints.resolve("step-000000014.safetensors"));
        Files.copy(dir.resolve("straight/config.json"), dir.resolve("resumed/config.json"));
        run(config("resumed", loss, ""), dir.resolve("resumed"));
        assertArrayEquals(losses(dir.resolve("straight/head/metrics.jsonl"), 14),
                losses(dir.resolve("resumed/head/metrics.jsonl"), 14));
        assertArrayEquals(Files.readAllBytes(dir.resolve("straight/head/head.safetensors")),
                Files.readAllBytes(dir.resolve("resumed/head/head.safetensors")), "the same head at the end");
    }

    @Test
    void featuresOfAnotherModelAreRefusedBeforeAnythingIsWritten() throws Exception {
        features(dir.resolve("train"), 160, 12, 1, "other.safetensors:99");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run(config("x", "{\"type\": \"arcface\"}", ""), null));
        assertTrue(e.getMessage().startsWith("data.train: " + dir.resolve("train/embeddings.npy")
                + " holds features of model 'other.safetensors:99', not of model.backbone"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void aManifestThatDoesNotMatchTheRowsIsRefused() throws Exception {
        List<ManifestEntry> shorter = EmbeddingManifest.read(dir.resolve("eval/manifest.csv")).subList(0, 59);
        EmbeddingManifest.write(dir.resolve("eval/manifest.csv"), shorter);
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> run(config("x", "{\"type\": \"arcface\"}", ""), null));
        assertEquals(dir.resolve("eval/manifest.csv") + ": 59 entries for the 60 rows of "
                + dir.resolve("eval/embeddings.npy"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void featuresOfAnotherSizeThanTheBackbonesAreRefused() throws Exception {
        String id = ModelId.ofWeights(dir.resolve("backbone.safetensors"));
        features(dir.resolve("train"), 160, 10, 1, id);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run(config("x", "{\"type\": \"arcface\"}", ""), null));
        assertEquals("data.train has 10-d rows, the head takes 12-d features (model.backbone's embedding)",
                e.getMessage());
    }

    @Test
    void featuresOfTheOtherKindThanModelInputAreRefused() throws Exception {
        String id = ModelId.ofWeights(dir.resolve("backbone.safetensors"));
        Files.writeString(dir.resolve("train/embed.json"), "{\"model_id\": \"" + id + "\", \"output\": \"tokens\"}");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run(config("x", "{\"type\": \"arcface\"}", ""), null));
        assertEquals("data.train: " + dir.resolve("train/embeddings.npy") + " holds the backbone's tokens, but "
                + "model.input is embedding", e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    private static float[] losses(Path metrics, long after) throws Exception {
        List<Float> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = JSON.readTree(line);
            if (n.path("type").asText().equals("step") && n.path("step").asLong() > after) {
                out.add((float) n.path("loss").asDouble());
            }
        }
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }
}
