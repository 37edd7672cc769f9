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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.trainer.TrainingDivergedException;

/**
 * Whole one-stage runs from a config on small IDX files: metrics log, evaluation, checkpoints, the exported model,
 * resuming from a checkpoint in another folder (the same per-step losses and epoch records as the uninterrupted
 * run), pseudo-labels and divergence.
 */
class TrainingRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void data() throws Exception {
        IdxFiles.writeTrainAndEval(dir);
    }

    private RunConfig config(String output, String extra) {
        return RunConfig.parse("""
                {"data": {"train": {"format": "idx", "images": "train-images.idx", "labels": "train-labels.idx",
                                    "augment": "shift-flip", "maxShift": 1 %s},
                          "eval": {"format": "idx", "images": "eval-images.idx", "labels": "eval-labels.idx"}},
                 "model": {"imageSize": 8, "channels": 1, "patch": 4, "width": 16, "depth": 2, "heads": 2,
                           "mlpHidden": 32, "embedding": 16, "dropPathRate": 0.1},
                 "loss": {"classRate": 0.5, "sampledDims": 12},
                 "optimizer": {"lr": 0.002, "maxGradNorm": 2},
                 "epochs": 2, "batchSize": 16, "seed": 5, "output": "%s",
                 "checkpoint": {"everySteps": 3, "keep": 10}}
                """.formatted(extra, dir.resolve(output)), dir, "run.json");
    }

    private static TrainingRun.Result run(RunConfig config, Path resume) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        TrainingRun.Result result = new TrainingRun(config, new PrintStream(progress, true, StandardCharsets.UTF_8),
                false).run(resume);
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("img/s ETA"), progress.toString());
        return result;
    }

    static List<JsonNode> lines(Path file, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(line);
            if (n.path("type").asText().equals(type)) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void runWritesMetricsCheckpointsAndAModel() throws Exception {
        RunConfig config = config("a", "");
        TrainingRun.Result result = run(config, null);
        Path out = dir.resolve("a");
        assertEquals(8, result.steps(), "72 images / 16 = 4 steps per epoch, 2 epochs");
        List<JsonNode> steps = lines(out.resolve("metrics.jsonl"), "step");
        assertEquals(8, steps.size());
        for (int s = 0; s < 8; s++) {
            JsonNode n = steps.get(s);
            assertEquals(s + 1, n.path("step").asLong());
            assertEquals(s / 4 + 1, n.path("epoch").asInt());
            assertTrue(Double.isFinite(n.path("loss").asDouble()) && n.path("loss").asDouble() > 0);
            assertTrue(n.path("lr").asDouble() > 0);
            assertTrue(n.path("imagesPerSecond").asDouble() > 0);
            assertTrue(n.has("gradNorm"));
        }
        List<JsonNode> epochs = lines(out.resolve("metrics.jsonl"), "epoch");
        assertEquals(2, epochs.size());
        for (JsonNode e : epochs) {
            double recall = e.path("recallAt1").asDouble(-1);
            assertTrue(recall >= 0 && recall <= 1, e.toString());
        }
        assertEquals(epochs.get(1).path("recallAt1").asDouble(), result.recallAt1());
        // everySteps 3 and epoch ends 4, 8: checkpoints after steps 3, 4, 6, 8
        List<String> names;
        try (var files = Files.list(out.resolve("checkpoints"))) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("step-000000003.safetensors", "step-000000004.safetensors",
                "step-000000006.safetensors", "step-000000008.safetensors"), names);
        assertEquals(config.toJson(), Files.readString(out.resolve("config.json")));
        try (VisionTransformer model = new VisionTransformer(TestBackends.get("cpu"), config.model().vit())) {
            StateDictIo.load(model, result.model());
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("batch-prefetch-") && t.isAlive()), "loader threads stopped");
    }

    @Test
    void resumingInAnotherFolderContinuesWithTheSameLosses() throws Exception {
        run(config("straight", ""), null);
        Path resumed = Files.createDirectories(dir.resolve("resumed/checkpoints"));
        Files.copy(dir.resolve("straight/checkpoints/step-000000003.safetensors"),
                resumed.resolve("step-000000003.safetensors"));
        // resumed without prefetching (the straight run prefetched): the loader may change, the run does not
        RunConfig synchronous = RunConfig.parse(config("resumed", "").toJson()
                .replace("\"prefetch\" : 1", "\"prefetch\" : 0"), dir, "x");
        assertEquals(0, synchronous.loader().prefetch());
        TrainingRun.Result result = run(synchronous, dir.resolve("resumed"));
        assertEquals(8, result.steps());
        float[] expected = losses(dir.resolve("straight/metrics.jsonl"), 3);
        float[] actual = losses(dir.resolve("resumed/metrics.jsonl"), 3);
        assertEquals(5, actual.length, "steps 4..8 logged after the resume");
        assertArrayEquals(expected, actual);
        // epoch 1 was interrupted after 3 of its 4 steps: its record still averages all four
        assertEquals(epochRecords(dir.resolve("straight/metrics.jsonl")),
                epochRecords(dir.resolve("resumed/metrics.jsonl")));
        assertEquals(lines(dir.resolve("straight/metrics.jsonl"), "epoch").get(1).path("recallAt1").asDouble(),
                result.recallAt1(), "the same model at the end");
    }

    @Test
    void resumingWithAChangedConfigIsRefused() throws Exception {
        run(config("first", ""), null);
        RunConfig changed = RunConfig.parse(config("second", "").toJson().replace("\"seed\" : 5", "\"seed\" : 6"),
                dir, "x");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new TrainingRun(changed, new PrintStream(new ByteArrayOutputStream()), false)
                        .run(dir.resolve("first")));
        assertTrue(e.getMessage().endsWith("cannot resume this run: config key 'seed' is 6 here but 5 in the "
                + "saved run"), e.getMessage());
    }

    @Test
    void aMissingDataFileIsNamedAndLeavesNoRunFolder() throws Exception {
        Files.delete(dir.resolve("eval-labels.idx"));
        RunConfig config = config("missing", "");
        Exception e = assertThrows(java.nio.file.NoSuchFileException.class,
                () -> new TrainingRun(config, new PrintStream(new ByteArrayOutputStream()), false).run(null));
        assertTrue(e.getMessage().contains("eval-labels.idx"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("missing")));
    }

    /** The epoch records without their timings (which differ from run to run), as JSON text. */
    static List<String> epochRecords(Path metrics) throws Exception {
        return records(metrics, "epoch", "seconds", "dataSeconds");
    }

    /** The records of {@code type} without the {@code timings} keys, as JSON text. */
    static List<String> records(Path metrics, String type, String... timings) throws Exception {
        return lines(metrics, type).stream().map(n -> {
            var o = (com.fasterxml.jackson.databind.node.ObjectNode) n.deepCopy();
            o.remove(List.of(timings));
            return o.toString();
        }).toList();
    }

    @Test
    void theEpochRecordsOfARunResumedInEveryEpochEqualTheUninterruptedRuns() throws Exception {
        run(config("whole", ""), null);
        List<String> expected = epochRecords(dir.resolve("whole/metrics.jsonl"));
        assertEquals(2, expected.size());
        // stopped after step 3 (epoch 1 of 2, 3 of its 4 steps), resumed, stopped again after step 6, resumed
        Path checkpoints = Files.createDirectories(dir.resolve("twice/checkpoints"));
        Files.copy(dir.resolve("whole/checkpoints/step-000000003.safetensors"),
                checkpoints.resolve("step-000000003.safetensors"));
        Files.copy(dir.resolve("whole/metrics.jsonl"), dir.resolve("twice/metrics.jsonl")); // what the kill left
        run(config("twice", ""), dir.resolve("twice"));
        try (var files = Files.list(checkpoints)) {
            for (Path p : files.toList()) {
                if (!p.getFileName().toString().equals("step-000000006.safetensors")) {
                    Files.delete(p);
                }
            }
        }
        run(config("twice", ""), dir.resolve("twice"));
        assertEquals(expected, epochRecords(dir.resolve("twice/metrics.jsonl")));
        assertEquals(records(dir.resolve("whole/metrics.jsonl"), "step", "imagesPerSecond"),
                records(dir.resolve("twice/metrics.jsonl"), "step", "imagesPerSecond"), "losses, lr, gradNorm");
    }

    private static float[] losses(Path metrics, long after) throws Exception {
        return lines(metrics, "step").stream().filter(n -> n.path("step").asLong() > after)
                .map(n -> (float) n.path("loss").asDouble()).collect(ArrayList<Float>::new, List::add, List::addAll)
                .stream().collect(() -> new float[][] {new float[0]}, (acc, v) -> {
                    acc[0] = java.util.Arrays.copyOf(acc[0], acc[0].length + 1);
                    acc[0][acc[0].length - 1] = v;
                }, (a, b) -> { })[0];
    }

    @Test
    void pseudoLabelsReplaceTheTrainingLabels() throws Exception {
        int[] pseudo = new int[72];
        for (int i = 0; i < pseudo.length; i++) {
            pseudo[i] = i % 9;
        }
        NpyArray.ofInts(pseudo, pseudo.length).write(dir.resolve("pseudo.npy"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        new TrainingRun(config("pseudo", ", \"pseudoLabels\": \"pseudo.npy\""),
                new PrintStream(progress, true, StandardCharsets.UTF_8), false).run(null);
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("72 images, 9 classes"), progress.toString());
    }

    @Test
    void anAbsurdLearningRateStopsTheRunNamingTheLastGoodCheckpoint() throws Exception {
        RunConfig config = RunConfig.parse(config("nan", "").toJson()
                .replace("\"lr\" : 0.002", "\"lr\" : 1.0E30").replace("\"everySteps\" : 3", "\"everySteps\" : 1"),
                dir, "x");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new TrainingRun(config, new PrintStream(new ByteArrayOutputStream()), false).run(null));
        Matcher m = Pattern.compile(".*training diverged.*; (the last good checkpoint is (\\S+)|no checkpoint was "
                + "written before it)$").matcher(e.getMessage());
        assertTrue(m.matches(), e.getMessage());
        if (m.group(2) != null) {
            assertTrue(Files.isRegularFile(Path.of(m.group(2))), "the named checkpoint exists");
        }
        assertFalse(Files.exists(dir.resolve("nan/model.safetensors")), "no model from a diverged run");
    }
}
