package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.unicom4j.data.io.AtomicFile;
import org.unicom4j.training.trainer.StepMetrics;

/**
 * A train stage's metrics as JSON lines: one {@code {"type":"step",...}} object per step (epoch, step, loss, lr,
 * imagesPerSecond, sampledClasses, gradNorm when clipping) and one {@code {"type":"epoch",...}} per epoch (mean
 * loss, Recall@1 on the eval set when there is one, seconds: over all the epoch's steps, also when it was
 * interrupted and resumed). Epochs are 1-based, steps are the 1-based global
 * step. Each line is flushed as written. On resume the lines after the checkpoint's step are dropped first, so
 * the log reads as one uninterrupted run.
 */
final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;
    private double epochSeconds;

    private MetricsLog(BufferedWriter out, double epochSeconds) {
        this.out = out;
        this.epochSeconds = epochSeconds;
    }

    /** A new log (an existing one is replaced). */
    static MetricsLog create(Path file) throws IOException {
        return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 0);
    }

    /**
     * Continues the log of a run resumed after global step {@code step}: keeps step lines up to it and epoch
     * lines of epochs finished by then ({@code finishedEpochs}), rewrites the file atomically, then appends.
     */
    static MetricsLog resume(Path file, long step, int finishedEpochs) throws IOException {
        List<String> kept = new ArrayList<>();
        double seconds = 0;
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // a line cut short by the interruption
                }
                boolean keep = n != null && switch (n.path("type").asText()) {
                    case "step" -> n.path("step").asLong() <= step;
                    case "epoch" -> n.path("epoch").asInt() <= finishedEpochs;
                    default -> false;
                };
                if (keep) {
                    kept.add(line);
                    seconds += n.path("type").asText().equals("epoch") ? n.path("seconds").asDouble() : 0;
                }
            }
        }
        byte[] content = kept.isEmpty() ? new byte[0]
                : (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, channel -> channel.write(java.nio.ByteBuffer.wrap(content)));
        return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND),
                seconds);
    }

    void step(StepMetrics m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "step");
        n.put("epoch", m.epoch() + 1);
        n.put("step", m.step());
        n.put("loss", m.loss());
        n.put("lr", m.learningRate());
        n.put("imagesPerSecond", Math.round(m.imagesPerSecond() * 10) / 10.0);
        n.put("sampledClasses", m.sampledClasses());
        if (!Double.isNaN(m.gradNorm())) {
            n.put("gradNorm", m.gradNorm());
        }
        if (!m.lossTerms().isEmpty()) {
            ObjectNode terms = n.putObject("terms");
            m.lossTerms().forEach(terms::put);
        }
        write(n);
    }

    /**
     * {@code recallAt1} is NaN when there is no eval set (then left out); {@code dataSeconds} is the part of
     * {@code seconds} the steps spent waiting for (or building) their batches.
     */
    void epoch(int epoch, long step, double meanLoss, double recallAt1, double seconds, double dataSeconds) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "epoch");
        n.put("epoch", epoch + 1);
        n.put("step", step);
        n.put("meanLoss", meanLoss);
        if (!Double.isNaN(recallAt1)) {
            n.put("recallAt1", recallAt1);
        }
        n.put("seconds", Math.round(seconds * 10) / 10.0);
        n.put("dataSeconds", Math.round(dataSeconds * 100) / 100.0);
        write(n);
        epochSeconds += seconds;
    }

    /** The seconds of every epoch in the log (those kept on resume included). */
    double epochSeconds() {
        return epochSeconds;
    }

    private void write(ObjectNode n) {
        try {
            out.write(JSON.writeValueAsString(n));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
