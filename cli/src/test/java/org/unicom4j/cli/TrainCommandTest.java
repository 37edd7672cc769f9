package org.unicom4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.training.config.RunConfig;

/** {@code unicom4j train} on tiny IDX files: a run, a resume, one-line errors; and the committed example parses. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private Path config(String extra) throws Exception {
        writeIdx(dir.resolve("images.idx"), dir.resolve("labels.idx"), 48, 8);
        Path file = dir.resolve("run.json");
        Files.writeString(file, """
                {"data": {"train": {"format": "idx", "images": "images.idx", "labels": "labels.idx"},
                          "eval": {"format": "idx", "images": "images.idx", "labels": "labels.idx"}},
                 "model": {"imageSize": 8, "channels": 1, "patch": 4, "width": 16, "depth": 1, "heads": 2,
                           "mlpHidden": 32, "embedding": 8},
                 "epochs": 2, "batchSize": 16, "output": "%s" %s}
                """.formatted(dir.resolve("out"), extra));
        return file;
    }

    @Test
    void trainsAndResumes() throws Exception {
        Path config = config("");
        assertEquals(0, Unicom4j.execute("train", "--config", config.toString()));
        Path out = dir.resolve("out");
        assertTrue(Files.size(out.resolve("model.safetensors")) > 0);
        assertTrue(Files.readString(out.resolve("metrics.jsonl")).contains("\"recallAt1\""));
        assertTrue(Files.exists(out.resolve("checkpoints/step-000000006.safetensors")));
        // resuming a finished run from its first-epoch checkpoint redoes the second epoch only
        assertEquals(0, Unicom4j.execute("train", "--config", config.toString(), "--resume",
                out.resolve("checkpoints/step-000000003.safetensors").toString(), "--backend", "cpu"));
        long steps = Files.readAllLines(out.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"type\":\"step\"")).count();
        assertEquals(6, steps, "metrics rewritten from step 3 on, not appended twice");
    }

    @Test
    void badConfigIsOneLine() throws Exception {
        String err = runForError("train", "--config", config(", \"loss\": {\"margin\": -1}").toString());
        assertEquals("unicom4j train: " + dir.resolve("run.json")
                + ": config key 'loss.margin': expected a number in [0, 1.5], got -1", err.strip());
        err = runForError("train", "--config", dir.resolve("missing.json").toString());
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("missing.json"), err);
    }

    @Test
    void aDivergedRunExitsWithFour() throws Exception {
        CliRun r = CliRun.run("train", "--config", config(", \"optimizer\": {\"lr\": 1.0E30}").toString(),
                "--backend", "cpu");
        assertEquals(4, r.code(), r.err());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("unicom4j train: ") && last.contains("training diverged"), r.err());
    }

    @Test
    void theExampleConfigParses() throws Exception {
        RunConfig example = RunConfig.read(Path.of("../examples/fashion-mnist-train.json"));
        assertEquals(28, example.model().vit().imageSize());
    }

    @Test
    void theHeadExampleParsesAsTheRecipeOfTheResults() throws Exception {
        RunConfig example = RunConfig.read(Path.of("../examples/fashion-mnist-head.json"));
        assertEquals("head", example.method());
        assertEquals("tokens", example.model().head().input());
        assertEquals(64, example.model().embedding());
        assertTrue(example.model().head().backbone().endsWith("runs/demo/unicom/model.safetensors"));
    }

    private static String runForError(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            assertEquals(2, Unicom4j.execute(args), "exit code for bad input");
        } finally {
            System.setErr(original);
        }
        return captured.toString();
    }

    /** A tiny MNIST-format pair: 4 classes, each with its own bright pixels. */
    private static void writeIdx(Path images, Path labels, int count, int size) throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        try (var img = new DataOutputStream(Files.newOutputStream(images));
             var lab = new DataOutputStream(Files.newOutputStream(labels))) {
            img.writeInt(0x0803);
            img.writeInt(count);
            img.writeInt(size);
            img.writeInt(size);
            lab.writeInt(0x0801);
            lab.writeInt(count);
            for (int i = 0; i < count; i++) {
                int label = i % 4;
                lab.write(label);
                for (int p = 0; p < size * size; p++) {
                    img.write((p % 4 == label ? 200 : 30) + random.nextInt(30));
                }
            }
        }
    }
}
