package org.unicom4j.retrieval.embeddings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unicom4j.data.FileFormatException;

/** RFC 4180 fields: quoted when they hold a comma, a quote, a line break or edge spaces; quotes doubled. */
final class CsvLine {
    private CsvLine() {
    }

    static String quote(String field) {
        boolean plain = !field.isEmpty() && field.equals(field.strip()) && field.chars()
                .noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return plain || field.isEmpty() ? field : '"' + field.replace("\"", "\"\"") + '"';
    }

    /** The records of {@code text}; blank lines are skipped, a quoted field may span lines. */
    static List<List<String>> parse(String text, Path file) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false, fieldStarted = false;
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (fieldStarted || !field.isEmpty()) {
                    record.add(field.toString());
                    records.add(record);
                }
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
                line++;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new FileFormatException(file + ":" + line + ": a quoted field is not closed");
        }
        if (fieldStarted || !field.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
