package org.unicom4j.data.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.unicom4j.data.FileFormatException;

/**
 * A CSV manifest, one {@code path,label} per line. Relative paths are resolved against the manifest's directory.
 * The label is a class key (a number or a name); keys are mapped to indices 0..n-1 in sorted order (numbers
 * numerically). The split is at the last comma, so paths may contain commas; an optional header line
 * {@code path,label} (or {@code img_path,label}, as UniFEx's M4D-35k annotation and {@code assemble} write it) and
 * blank lines are skipped; a path may be wrapped in double quotes.
 */
public final class CsvManifest {
    private static final java.util.Set<String> HEADERS = java.util.Set.of("path,label", "img_path,label");

    private CsvManifest() {
    }

    public static FileImageDataset read(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new NoSuchFileException(csv.toString(), null, "CSV manifest not found");
        }
        Path base = csv.toAbsolutePath().getParent();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> paths = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (n == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty() || (n == 1 && HEADERS.contains(line.toLowerCase(Locale.ROOT).replace(" ", "")))) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma <= 0 || comma == line.length() - 1) {
                throw new FileFormatException(csv + ":" + n + ": expected 'path,label', got '" + line + "'");
            }
            String path = line.substring(0, comma).strip();
            if (path.length() >= 2 && path.startsWith("\"") && path.endsWith("\"")) {
                path = path.substring(1, path.length() - 1).replace("\"\"", "\"");
            }
            paths.add(path);
            keys.add(line.substring(comma + 1).strip());
        }
        if (paths.isEmpty()) {
            throw new FileFormatException(csv + ": no 'path,label' lines");
        }
        ClassIndex classes = ClassIndex.of(keys);
        List<LabeledFile> items = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            items.add(new LabeledFile(base.resolve(paths.get(i)), classes.of(keys.get(i))));
        }
        return new FileImageDataset(items, classes.names());
    }
}
