package org.unicom4j.data.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unicom4j.data.FileFormatException;

/** The non-blank lines of a whitespace-separated list file, each split into fields, with line numbers for errors. */
record ListFile(Path file, List<Line> lines) {

    record Line(Path file, int number, String[] fields) {
        /** Field {@code i}; a missing one is an error naming file, line and the expected field count. */
        String field(int i, int expected) {
            if (fields.length < expected) {
                throw error("has " + fields.length + " fields, expected " + expected);
            }
            return fields[i];
        }

        int intField(int i, int expected) {
            String f = field(i, expected);
            try {
                return Integer.parseInt(f);
            } catch (NumberFormatException e) {
                throw error("field " + (i + 1) + " '" + f + "' is not an integer");
            }
        }

        FileFormatException error(String what) {
            return new FileFormatException(file + ":" + number + ": " + what + ": '" + String.join(" ", fields)
                    + "'");
        }
    }

    static ListFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "list file not found");
        }
        List<Line> lines = new ArrayList<>();
        int n = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String s = raw.strip();
            if (n == 1 && !s.isEmpty() && s.charAt(0) == '\uFEFF') {
                s = s.substring(1);
            }
            if (!s.isEmpty()) {
                lines.add(new Line(file, n, s.split("\\s+")));
            }
        }
        return new ListFile(file, lines);
    }
}
