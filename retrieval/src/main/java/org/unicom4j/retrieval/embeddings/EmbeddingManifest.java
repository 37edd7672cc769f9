package org.unicom4j.retrieval.embeddings;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.io.AtomicFile;

/**
 * The manifest next to an embeddings {@code .npy}: one line per row, as CSV ({@code row,path,label,class,split},
 * RFC 4180 quoting) or, for a {@code .jsonl} file, JSON lines with the same fields. Written atomically.
 */
public final class EmbeddingManifest {
    static final List<String> COLUMNS = List.of("row", "path", "label", "class", "split");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddingManifest() {
    }

    /** JSON lines for {@code .jsonl} / {@code .json}, CSV otherwise. */
    public static boolean isJsonLines(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".json");
    }

    public static void write(Path file, List<ManifestEntry> entries) throws IOException {
        StringBuilder s = new StringBuilder();
        if (isJsonLines(file)) {
            for (ManifestEntry e : entries) {
                ObjectNode o = JSON.createObjectNode().put("row", e.row()).put("path", e.path())
                        .put("label", e.label()).put("class", e.className()).put("split", e.split());
                s.append(JSON.writeValueAsString(o)).append('\n');
            }
        } else {
            s.append(String.join(",", COLUMNS)).append('\n');
            for (ManifestEntry e : entries) {
                s.append(e.row()).append(',').append(CsvLine.quote(e.path())).append(',').append(e.label())
                        .append(',').append(CsvLine.quote(e.className())).append(',')
                        .append(CsvLine.quote(e.split())).append('\n');
            }
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFile.write(file, channel -> {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /** Reads a manifest; row i must be numbered i (the row of the embeddings file it describes). */
    public static List<ManifestEntry> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": manifest not found");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<ManifestEntry> entries = isJsonLines(file) ? readJsonLines(file, text) : readCsv(file, text);
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).row() != i) {
                throw new FileFormatException(file + ": entry " + (i + 1) + " has row " + entries.get(i).row()
                        + ", expected " + i + " (rows in order from 0)");
            }
        }
        return entries;
    }

    private static List<ManifestEntry> readCsv(Path file, String text) {
        List<List<String>> records = CsvLine.parse(text, file);
        if (records.isEmpty() || !records.getFirst().equals(COLUMNS)) {
            throw new FileFormatException(file + ":1: expected the header '" + String.join(",", COLUMNS) + "'");
        }
        List<ManifestEntry> out = new ArrayList<>();
        for (int n = 1; n < records.size(); n++) {
            List<String> r = records.get(n);
            if (r.size() != COLUMNS.size()) {
                throw new FileFormatException(file + ": record " + (n + 1) + " has " + r.size()
                        + " fields, expected " + COLUMNS.size() + " (" + String.join(",", COLUMNS) + ")");
            }
            out.add(entry(file, n + 1, r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)));
        }
        return out;
    }

    private static List<ManifestEntry> readJsonLines(Path file, String text) {
        List<ManifestEntry> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (JacksonException e) {
                throw new FileFormatException(file + ":" + (n + 1) + ": not JSON: "
                        + e.getOriginalMessage().replace('\n', ' '), e);
            }
            out.add(entry(file, n + 1, o.path("row").asText(null), o.path("path").asText(null),
                    o.path("label").asText(null), o.path("class").asText(""), o.path("split").asText("")));
        }
        return out;
    }

    private static ManifestEntry entry(Path file, int line, String row, String path, String label, String cls,
                                       String split) {
        try {
            return new ManifestEntry(Integer.parseInt(row), path, Integer.parseInt(label), cls, split);
        } catch (NumberFormatException | NullPointerException e) {
            throw new FileFormatException(file + ":" + line + ": row '" + row + "' and label '" + label
                    + "' must be integers");
        } catch (IllegalArgumentException e) { // ManifestEntry's checks, on values read from the file
            throw new FileFormatException(file + ":" + line + ": " + e.getMessage(), e);
        }
    }
}
