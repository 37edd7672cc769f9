package org.unicom4j.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.training.trainer.StepMetrics;

class MetricsLogTest {
    @TempDir
    Path dir;

    private static StepMetrics step(int epoch, long step) {
        return new StepMetrics(epoch, step, 6, 1.5f, 1e-3f, 10, Double.NaN, 100, 1, null);
    }

    @Test
    void writesOneJsonObjectPerLine() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            log.step(step(0, 1));
            log.epoch(0, 1, 1.25, 0.5, 2.0, 0.125);
            log.epoch(1, 2, 1.0, Double.NaN, 1.0, 0);
        }
        assertEquals(List.of(
                "{\"type\":\"step\",\"epoch\":1,\"step\":1,\"loss\":1.5,\"lr\":0.001,\"imagesPerSecond\":100.0,"
                        + "\"sampledClasses\":10}",
                "{\"type\":\"epoch\",\"epoch\":1,\"step\":1,\"meanLoss\":1.25,\"recallAt1\":0.5,\"seconds\":2.0,"
                        + "\"dataSeconds\":0.13}",
                "{\"type\":\"epoch\",\"epoch\":2,\"step\":2,\"meanLoss\":1.0,\"seconds\":1.0,\"dataSeconds\":0.0}"),
                Files.readAllLines(file));
    }

    @Test
    void resumeDropsWhatCameAfterTheCheckpoint() throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            for (int s = 1; s <= 5; s++) {
                log.step(step((s - 1) / 2, s));
                if (s % 2 == 0) {
                    log.epoch(s / 2 - 1, s, 1, 0.5, 1, 0);
                }
            }
        }
        Files.writeString(file, "{\"type\":\"step\",\"ep", java.nio.file.StandardOpenOption.APPEND); // cut short
        try (MetricsLog log = MetricsLog.resume(file, 3, 1)) {
            log.step(step(1, 4));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals(List.of(1L, 2L, 2L, 3L, 4L), lines.stream().map(l -> Long.parseLong(
                l.replaceAll(".*\"step\":(\\d+).*", "$1"))).toList());
        assertEquals(1, lines.stream().filter(l -> l.contains("\"type\":\"epoch\"")).count());
    }
}
