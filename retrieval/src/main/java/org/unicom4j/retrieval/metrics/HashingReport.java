package org.unicom4j.retrieval.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.unicom4j.data.io.AtomicFile;

/**
 * Writes hashing results into a folder, each file atomically: {@code hashing.json} (the scores of every result, plus
 * the caller's settings) and {@code precision-recall.png} (their curves), and formats them as a text table.
 */
public final class HashingReport {
    public static final String JSON = "hashing.json";
    public static final String CURVE_PNG = "precision-recall.png";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HashingReport() {
    }

    /** Writes both files into {@code dir} (created if missing); {@code settings} go into the JSON first. */
    public static void write(Path dir, String title, Map<String, Object> settings, List<HashingScores> results)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>(settings);
        json.put("results", results.stream().map(HashingScores::toMap).toList());
        byte[] bytes = MAPPER.writeValueAsBytes(json);
        AtomicFile.write(dir.resolve(JSON), channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
        AtomicFile.write(dir.resolve(CURVE_PNG), channel -> {
            OutputStream out = Channels.newOutputStream(channel);
            if (!ImageIO.write(PrecisionRecallPlot.draw(title, results, 720, 520), "png", out)) {
                throw new IOException("no PNG writer available");
            }
            out.flush();
        });
    }

    /** One row per result: mAP@K and each P@N, as fractions. */
    public static String table(List<HashingScores> results) {
        StringBuilder out = new StringBuilder();
        int width = results.stream().mapToInt(r -> r.name().length()).max().orElse(4);
        HashingScores first = results.getFirst();
        out.append(String.format(Locale.ROOT, "%-" + width + "s  %8s", "", "mAP@" + first.mapDepth()));
        for (int n : first.precisionCutoffs()) {
            out.append(String.format(Locale.ROOT, "  %7s", "P@" + n));
        }
        out.append('\n');
        for (HashingScores r : results) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s  %8.4f", r.name(), r.map()));
            for (double p : r.precisionAt()) {
                out.append(String.format(Locale.ROOT, "  %7.4f", p));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
