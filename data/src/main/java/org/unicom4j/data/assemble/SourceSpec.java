package org.unicom4j.data.assemble;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.dataset.ImageDataset;

/**
 * One source of an assembly, as the command line names it: {@code KIND:PATH[,key=value...]} with KIND one of
 * {@code csv, folder, cub, sop, inshop, idx} and the keys {@code name} (default: the path's file name),
 * {@code split} (cub and sop: train or test; inshop: train, query or gallery; default train), {@code labels} (idx:
 * the label file; required), {@code classes} (only these classes of the source, by the names its reader gives them
 * (an IDX file's labels "0", "1", ...; an ImageFolder's folder names), joined by '+': {@code classes=0+2+4+6}),
 * {@code max-per-class} (keep the first N images of each class) and {@code max-images} (keep whole classes, in a
 * seeded random order, while the source stays within N images).
 *
 * @param maxImages   0 for no cap
 * @param maxPerClass 0 for no cap
 * @param classes     the class names kept, empty for all
 */
public record SourceSpec(String name, SourceKind kind, Path path, Path labels, String split, int maxImages,
                         int maxPerClass, List<String> classes) {

    public SourceSpec {
        classes = List.copyOf(classes);
    }

    public static SourceSpec parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new InvalidInputException("source '" + spec + "': expected KIND:PATH[,key=value...], e.g. "
                    + "csv:products.csv,max-images=100000");
        }
        SourceKind kind = SourceKind.parse(spec, spec.substring(0, colon));
        String[] parts = spec.substring(colon + 1).split(",");
        Path path = Path.of(parts[0]);
        String name = path.getFileName() != null ? path.getFileName().toString() : parts[0];
        String split = kind.defaultSplit();
        Path labels = null;
        int maxImages = 0, maxPerClass = 0;
        List<String> classes = List.of();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq), value = eq < 0 ? "" : parts[i].substring(eq + 1);
            if (eq < 0 || value.isEmpty()) {
                throw new InvalidInputException("source '" + spec + "': option '" + parts[i] + "' is not key=value");
            }
            switch (key.toLowerCase(Locale.ROOT)) {
                case "name" -> name = value;
                case "split" -> split = value.toLowerCase(Locale.ROOT);
                case "labels" -> labels = Path.of(value);
                case "max-images" -> maxImages = positive(spec, key, value);
                case "max-per-class" -> maxPerClass = positive(spec, key, value);
                case "classes" -> classes = classNames(spec, value);
                default -> throw new InvalidInputException("source '" + spec + "': unknown option '" + key
                        + "' (name, split, labels, classes, max-images, max-per-class)");
            }
        }
        if ((kind == SourceKind.IDX) != (labels != null)) {
            throw new InvalidInputException("source '" + spec + "': " + (labels == null
                    ? "an idx source needs labels=LABEL_FILE" : "labels= is for idx sources"));
        }
        if (split != null && kind.defaultSplit() == null) {
            throw new InvalidInputException("source '" + spec + "': split= is for cub, sop and inshop sources");
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new InvalidInputException("source '" + spec + "': name '" + name + "' may hold only letters, "
                    + "digits, '.', '_' and '-' (it names the source's image folder)");
        }
        return new SourceSpec(name, kind, path, labels, split, maxImages, maxPerClass, classes);
    }

    private static List<String> classNames(String spec, String value) {
        List<String> names = new ArrayList<>();
        for (String n : value.split("\\+", -1)) {
            if (n.isEmpty() || names.contains(n)) {
                throw new InvalidInputException("source '" + spec + "': classes= takes distinct class names joined by "
                        + "'+', got '" + value + "'");
            }
            names.add(n);
        }
        return names;
    }

    private static int positive(String spec, String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("source '" + spec + "': " + key + " must be a positive integer, got '" + value
                + "'");
    }

    /** The source's images and labels, through its format's reader. */
    public ImageDataset open(long maxPixels) throws IOException {
        return kind.open(this, maxPixels);
    }
}
