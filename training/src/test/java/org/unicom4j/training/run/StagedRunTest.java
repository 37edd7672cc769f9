package org.unicom4j.training.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.training.config.InvalidConfigException;
import org.unicom4j.training.config.RunConfig;

/**
 * A multi-stage run on small IDX files: HOG features -> k-means -> evaluations of pixels and features ->
 * cluster discrimination from class-mean prototypes -> evaluation -> fine-tuning with the true labels ->
 * evaluation. The stages run in order and leave their outputs; a run stopped inside a train stage, or between
 * stages, and resumed from its folder ends with the same files, bit for bit, as the run that was not stopped.
 */
class StagedRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STAGES = List.of("hog", "k", "eval-pixels", "eval-hog", "unicom", "eval-unicom",
            "finetune", "eval-finetune");

    @TempDir
    Path dir;

    @BeforeEach
    void data() throws Exception {
        IdxFiles.writeTrainAndEval(dir);
    }

    private RunConfig config(String output) {
        return RunConfig.parse("""
                {"method": "unicom",
                 "data": {"train": {"format": "idx", "images": "train-images.idx", "labels": "train-labels.idx",
                                    "augment": "shift", "maxShift": 1},
                          "eval": {"format": "idx", "images": "eval-images.idx", "labels": "eval-labels.idx"}},
                 "model": {"imageSize": 8, "channels": 1, "patch": 4, "width": 16, "depth": 2, "heads": 2,
                           "mlpHidden": 32, "embedding": 16, "dropPathRate": 0.1},
                 "batchSize": 16, "seed": 5, "output": "%s",
                 "checkpoint": {"everySteps": 3, "keep": 10},
                 "stages": [
                   {"name": "hog", "type": "features", "kind": "hog", "components": 8, "sample": 50},
                   {"name": "k", "type": "kmeans", "clusters": 6},
                   {"name": "eval-pixels", "type": "evaluate", "of": "pixels", "title": "raw pixels"},
                   {"name": "eval-hog", "type": "evaluate", "of": "features"},
                   {"name": "unicom", "type": "train", "labels": "clusters", "epochs": 2,
                    "loss": {"classRate": 0.5, "sampledDims": 12, "prototypeInit": "class-means",
                             "prototypeInitImages": 40},
                    "optimizer": {"lr": 0.002}, "evalEveryEpoch": false},
                   {"name": "eval-unicom", "type": "evaluate"},
                   {"name": "finetune", "type": "train", "epochs": 1, "schedule": {"type": "onecycle"}},
                   {"name": "eval-finetune", "type": "evaluate"}]}
                """.formatted(dir.resolve(output)), dir, "run.json");
    }

    private static TrainingRun.Result run(RunConfig config, Path resume, StringBuilder log) throws IOException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        TrainingRun.Result result = new TrainingRun(config, new PrintStream(progress, true, StandardCharsets.UTF_8),
                false).run(resume);
        log.append(progress.toString(StandardCharsets.UTF_8));
        return result;
    }

    @Test
    void stagesRunInOrderAndLeaveTheirOutputs() throws Exception {
        StringBuilder log = new StringBuilder();
        TrainingRun.Result result = run(config("run"), null, log);
        assertEquals(STAGES, result.stages().stream().map(StageResult::name).toList());
        for (int i = 0; i < STAGES.size(); i++) {
            int at = log.indexOf("== stage " + (i + 1) + "/8: " + STAGES.get(i));
            assertTrue(at >= 0 && (i == 0 || at > log.indexOf("== stage " + i + "/8: ")), log.toString());
        }
        Path out = dir.resolve("run");
        assertEquals(72, NpyArray.read(out.resolve("hog/train.npy")).shape()[0]);
        assertArrayEquals(new long[] {40, 8}, NpyArray.read(out.resolve("hog/eval.npy")).shape());
        int[] clusters = NpyArray.read(out.resolve("k/labels.npy")).toInts();
        assertEquals(72, clusters.length);
        assertTrue(java.util.Arrays.stream(clusters).allMatch(c -> c >= 0 && c < 6));
        for (String train : List.of("unicom", "finetune")) {
            assertTrue(Files.isRegularFile(out.resolve(train + "/model.safetensors")), train);
            assertTrue(Files.isRegularFile(out.resolve(train + "/metrics.jsonl")), train);
        }
        assertEquals(out.resolve("finetune/model.safetensors"), result.model());
        assertEquals(4, result.steps(), "the last train stage: one epoch of 4 steps");
        assertTrue(log.indexOf("72 images, 6 classes (k-means pseudo-classes)") >= 0, log.toString());
        var eval = JSON.readTree(out.resolve("eval-pixels/result.json").toFile());
        assertEquals("raw pixels", eval.path("title").asText());
        for (String k : List.of("R@1", "R@2", "R@4", "R@8", "mAP@R")) {
            double v = eval.path("metrics").path(k).asDouble(-1);
            assertTrue(v >= 0 && v <= 1, k + " " + eval);
        }
        assertArrayEquals(new long[] {40, 8}, NpyArray.read(out.resolve("eval-unicom/neighbours.npy")).shape());
    }

    @Test
    void aRunStoppedInsideOrBetweenStagesResumesToTheSameFiles() throws Exception {
        run(config("whole"), null, new StringBuilder());
        Path whole = dir.resolve("whole");

        // killed in stage 'unicom' after its step 4 (checkpoint at 3; epoch 1 of 2 holds 4 steps): everything
        // before it complete, its metrics logged to some later step, nothing after it
        Path inside = copy(whole, dir.resolve("inside"));
        deleteFrom(inside, "eval-unicom");
        Files.delete(inside.resolve("unicom/result.json"));
        Files.delete(inside.resolve("unicom/model.safetensors"));
        for (String late : List.of("step-000000004.safetensors", "step-000000006.safetensors",
                "step-000000008.safetensors")) {
            Files.delete(inside.resolve("unicom/checkpoints/" + late));
        }
        StringBuilder log = new StringBuilder();
        run(config("inside"), inside, log);
        assertTrue(log.indexOf("== stage 4/8: eval-hog (evaluate): complete") >= 0, log.toString());
        assertTrue(log.indexOf("resumed from " + inside.resolve("unicom/checkpoints/step-000000003.safetensors"))
                >= 0, log.toString());
        assertSameOutputs(whole, inside);

        // killed between 'k' and 'eval-pixels'
        Path between = copy(whole, dir.resolve("between"));
        deleteFrom(between, "eval-pixels");
        run(config("between"), between, new StringBuilder());
        assertSameOutputs(whole, between);
    }

    @Test
    void anUnknownMethodIsOneLineListingTheKnownOnes() {
        RunConfig config = RunConfig.parse(config("m").toJson().replace("\"method\" : \"unicom\"",
                "\"method\" : \"dino\""), dir, "run.json");
        InvalidConfigException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> new TrainingRun(config, new PrintStream(new ByteArrayOutputStream()), false).run(null));
        assertEquals("config key 'method': unknown method 'dino' (known: head, sscq, unicom)", e.getMessage());
        assertTrue(!Files.exists(dir.resolve("m")), "nothing written");
    }

    @Test
    void featuresThatDoNotFitTheImagesAreBadConfig() {
        RunConfig config = RunConfig.parse(config("f").toJson().replace("\"components\" : 8", "\"components\" : 40"),
                dir, "run.json");
        InvalidConfigException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                () -> new TrainingRun(config, new PrintStream(new ByteArrayOutputStream()), false).run(null));
        assertEquals("stage 'hog': components 40 exceed the 36 dimensions of the hog features", e.getMessage());
    }

    /** Every file a complete run leaves but the timings: the same bytes, or the same records without timings. */
    private static void assertSameOutputs(Path expected, Path actual) throws IOException {
        for (String stage : STAGES) {
            for (String file : List.of("train.npy", "eval.npy", "labels.npy", "centroids.npy", "neighbours.npy",
                    "model.safetensors")) {
                Path e = expected.resolve(stage).resolve(file);
                if (Files.exists(e)) {
                    assertArrayEquals(Files.readAllBytes(e), Files.readAllBytes(actual.resolve(stage).resolve(file)),
                            stage + "/" + file);
                }
            }
            var result = JSON.readTree(expected.resolve(stage).resolve("result.json").toFile());
            assertEquals(result.path("metrics"), JSON.readTree(actual.resolve(stage).resolve("result.json").toFile())
                    .path("metrics"), stage + " metrics");
            Path metrics = expected.resolve(stage).resolve("metrics.jsonl");
            if (Files.exists(metrics)) {
                Path mine = actual.resolve(stage).resolve("metrics.jsonl");
                try {
                    assertEquals(TrainingRunTest.epochRecords(metrics), TrainingRunTest.epochRecords(mine), stage);
                    assertEquals(TrainingRunTest.records(metrics, "step", "imagesPerSecond"),
                            TrainingRunTest.records(mine, "step", "imagesPerSecond"), stage);
                } catch (Exception ex) {
                    throw new IOException(ex);
                }
            }
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    /** Deletes the folders of {@code first} and every stage after it, as if the run had stopped before it. */
    private static void deleteFrom(Path run, String first) throws IOException {
        for (String stage : STAGES.subList(STAGES.indexOf(first), STAGES.size())) {
            try (Stream<Path> files = Files.walk(run.resolve(stage))) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
