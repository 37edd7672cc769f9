package org.unicom4j.training.run;

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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.sscq.SscqModel;
import org.unicom4j.model.sscq.SscqStateDict;
import org.unicom4j.training.config.InvalidConfigException;
import org.unicom4j.training.config.RunConfig;

/**
 * {@code method: sscq} through the engine on small IDX files: two views per image, metrics, checkpoints, the saved
 * SSCQ model, hashing evaluations of its codes, its features and post-hoc PQ codes of its features; a run stopped after any checkpoint and resumed
 * continues bit for bit (the same losses and the same model file); config and checkpoint mismatches are one-line
 * errors that write nothing.
 */
class SscqRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void data() throws Exception {
        IdxFiles.writeTrainAndEval(dir);
    }

    private RunConfig config(String output, String bits, String backend) {
        return RunConfig.parse("""
                {"method": "sscq",
                 "data": {"train": {"format": "idx", "images": "train-images.idx", "labels": "train-labels.idx",
                                    "augment": "two-view", "minCropScale": 0.6, "flipProbability": 0.5},
                          "eval": {"format": "idx", "images": "eval-images.idx", "labels": "eval-labels.idx"}},
                 "model": {"imageSize": 8, "channels": 1, "patch": 4, "width": 16, "depth": 2, "heads": 2,
                           "mlpHidden": 32, "embedding": 16, "dropPathRate": 0.1},
                 "sscq": {"bits": %s, "subDim": 4, "hidden": 24},
                 "batchSize": 16, "seed": 5, "output": "%s", "backend": "%s",
                 "checkpoint": {"everySteps": 3, "keep": 10},
                 "stages": [
                   {"name": "train", "type": "train", "epochs": 2, "loss": {"neighbours": 5},
                    "schedule": {"warmupEpochs": 1}},
                   {"name": "codes", "type": "evaluate", "protocol": "hashing", "of": "codes", "mapDepth": 20},
                   {"name": "features", "type": "evaluate", "protocol": "hashing", "of": "model", "mapDepth": 20},
                   {"name": "pq", "type": "evaluate", "protocol": "hashing", "of": "model", "pqBits": 8,
                    "mapDepth": 20}]}
                """.formatted(bits, dir.resolve(output), backend), dir, "run.json");
    }

    private static TrainingRun.Result run(RunConfig config, Path resume) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        return new TrainingRun(config, new PrintStream(progress, true, StandardCharsets.UTF_8), false).run(resume);
    }

    private static float[] losses(Path metrics) throws Exception {
        List<JsonNode> steps = TrainingRunTest.lines(metrics, "step");
        float[] out = new float[steps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) steps.get(i).path("loss").asDouble();
        }
        return out;
    }

    @Test
    void aRunTrainsSavesAnSscqModelAndEvaluatesItsCodes() throws Exception {
        RunConfig config = config("a", "8", "cpu");
        TrainingRun.Result result = run(config, null);
        Path out = dir.resolve("a");
        assertEquals(8, result.steps(), "72 images / 16 = 4 steps per epoch, 2 epochs");
        float[] losses = losses(out.resolve("train/metrics.jsonl"));
        assertEquals(8, losses.length);
        for (float l : losses) {
            assertTrue(Float.isFinite(l), "loss " + l);
        }
        JsonNode step = TrainingRunTest.lines(out.resolve("train/metrics.jsonl"), "step").getFirst();
        JsonNode terms = step.path("terms");
        double weighted = terms.path("icz").asDouble() + terms.path("icf").asDouble() + 0.4 * terms.path("cc")
                .asDouble() + 0.1 * terms.path("pn").asDouble() + 0.2 * terms.path("cd").asDouble();
        assertEquals(step.path("loss").asDouble(), weighted, 1e-4, "the terms, weighted, make the loss: " + step);
        try (SscqModel model = SscqStateDict.read(TestBackends.get("cpu"), out.resolve("train/model.safetensors"))) {
            assertEquals(2, model.config().books(), "8 bits of 16-codeword books");
            assertEquals(config.model().sscq(), model.config());
        }
        JsonNode trained = JSON.readTree(out.resolve("train/result.json").toFile());
        assertTrue(trained.path("cpuSeconds").asDouble() > 0, trained.toString());
        for (String stage : List.of("codes", "features", "pq")) {
            JsonNode r = JSON.readTree(out.resolve(stage + "/result.json").toFile());
            double map = r.path("metrics").path("mAP@20").asDouble(-1);
            assertTrue(map > 0 && map <= 1, stage + ": " + r);
            assertTrue(Files.isRegularFile(out.resolve(stage + "/hashing.json")));
        }
    }

    @Test
    void aResumedRunContinuesBitForBit() throws Exception {
        run(config("straight", "8", "cpu"), null);
        for (String step : List.of("000000003", "000000006")) {
            Path resumed = Files.createDirectories(dir.resolve("resumed-" + step + "/train/checkpoints"));
            Files.copy(dir.resolve("straight/train/checkpoints/step-" + step + ".safetensors"),
                    resumed.resolve("step-" + step + ".safetensors"));
            run(config("resumed-" + step, "8", "cpu"), dir.resolve("resumed-" + step));
            float[] all = losses(dir.resolve("straight/train/metrics.jsonl"));
            assertArrayEquals(java.util.Arrays.copyOfRange(all, Integer.parseInt(step), all.length),
                    losses(dir.resolve("resumed-" + step + "/train/metrics.jsonl")), "every later step's loss");
            assertArrayEquals(Files.readAllBytes(dir.resolve("straight/train/model.safetensors")),
                    Files.readAllBytes(dir.resolve("resumed-" + step + "/train/model.safetensors")),
                    "the same model, byte for byte (after step " + step + ")");
            assertEquals(Files.readString(dir.resolve("straight/codes/result.json")).replaceAll("\"seconds\".*?,", ""),
                    Files.readString(dir.resolve("resumed-" + step + "/codes/result.json"))
                            .replaceAll("\"seconds\".*?,", ""));
        }
    }

    @Test
    void aCheckpointOfAnotherCodeLengthIsRefusedAndChangesNothing() throws Exception {
        run(config("eight", "8", "cpu"), null);
        Path other = Files.createDirectories(dir.resolve("sixteen/train/checkpoints"));
        Path checkpoint = other.resolve("step-000000003.safetensors");
        Files.copy(dir.resolve("eight/train/checkpoints/step-000000003.safetensors"), checkpoint);
        byte[] before = Files.readAllBytes(checkpoint);
        RunConfig sixteen = config("sixteen", "16", "cpu");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(sixteen, checkpoint));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("sscq"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(checkpoint));
        assertFalse(Files.exists(dir.resolve("sixteen/train/model.safetensors")));
    }

    @Test
    void badSscqConfigIsOneLine() {
        InvalidConfigException bits = assertThrows(InvalidConfigException.class,
                () -> config("x", "10", "cpu"));
        assertTrue(bits.getMessage().contains("config key 'sscq.bits'"), bits.getMessage());
        String tooMany = config("y", "8", "cpu").toJson().replace("\"neighbours\" : 5", "\"neighbours\" : 40");
        InvalidConfigException neighbours = assertThrows(InvalidConfigException.class,
                () -> RunConfig.parse(tooMany, dir, "run.json"));
        assertEquals("run.json: config key 'loss.neighbours' is 40 but a batch of 16 images has only 31 other views "
                + "(stage 'train')", neighbours.getMessage());
        // another method's run has no sscq keys: they are unknown there
        String unicom = config("z", "8", "cpu").toJson().replace("\"method\" : \"sscq\"", "\"method\" : \"unicom\"");
        InvalidConfigException stray = assertThrows(InvalidConfigException.class,
                () -> RunConfig.parse(unicom, dir, "run.json"));
        assertTrue(stray.getMessage().startsWith("run.json: unknown config key"), stray.getMessage());
    }
}
