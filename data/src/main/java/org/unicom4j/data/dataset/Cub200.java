package org.unicom4j.data.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.data.FileFormatException;

/**
 * CUB-200-2011 as it ships: {@code images.txt} ("image_id relative/path"), {@code image_class_labels.txt}
 * ("image_id class_id", 1-based) and optionally {@code classes.txt} ("class_id name"), under the data set's root
 * with the files in {@code images/}. The retrieval split is by class: 1-100 train, 101-200 test (the spec's 0-99 /
 * 100-199 counted from zero).
 */
public final class Cub200 {
    private Cub200() {
    }

    public static TrainTestSplit read(Path root) throws IOException {
        ListFile images = ListFile.read(root.resolve("images.txt"));
        ListFile labels = ListFile.read(root.resolve("image_class_labels.txt"));
        Map<Integer, Integer> classOf = new HashMap<>();
        for (ListFile.Line line : labels.lines()) {
            int id = line.intField(0, 2);
            int cls = line.intField(1, 2);
            if (cls < 1 || cls > 200) {
                throw line.error("class " + cls + " out of range 1..200");
            }
            if (classOf.put(id, cls) != null) {
                throw line.error("image id " + id + " labelled twice");
            }
        }
        Map<Integer, String> names = new HashMap<>();
        Path classesTxt = root.resolve("classes.txt");
        if (Files.isRegularFile(classesTxt)) {
            for (ListFile.Line line : ListFile.read(classesTxt).lines()) {
                names.put(line.intField(0, 2), line.field(1, 2));
            }
        }
        List<LabeledFile> train = new ArrayList<>();
        List<LabeledFile> test = new ArrayList<>();
        for (ListFile.Line line : images.lines()) {
            int id = line.intField(0, 2);
            Integer cls = classOf.get(id);
            if (cls == null) {
                throw line.error("image id " + id + " has no line in " + labels.file().getFileName());
            }
            Path file = root.resolve("images").resolve(line.field(1, 2));
            if (cls <= 100) {
                train.add(new LabeledFile(file, cls - 1));
            } else {
                test.add(new LabeledFile(file, cls - 101));
            }
        }
        if (images.lines().size() != classOf.size()) {
            throw new FileFormatException(labels.file() + ": " + classOf.size() + " labels for "
                    + images.lines().size() + " images in " + images.file().getFileName());
        }
        return new TrainTestSplit(new FileImageDataset(train, classNames(names, 1)),
                new FileImageDataset(test, classNames(names, 101)));
    }

    private static List<String> classNames(Map<Integer, String> names, int first) {
        List<String> out = new ArrayList<>();
        for (int c = first; c < first + 100; c++) {
            out.add(names.getOrDefault(c, Integer.toString(c)));
        }
        return out;
    }
}
