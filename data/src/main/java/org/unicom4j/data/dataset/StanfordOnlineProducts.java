package org.unicom4j.data.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unicom4j.data.FileFormatException;

/**
 * Stanford Online Products as it ships: {@code Ebay_train.txt} and {@code Ebay_test.txt} under the root, each a
 * header line ("image_id class_id super_class_id path") then one image per line, paths relative to the root.
 * Train holds classes 1-11318, test 11319-22634; each half is renumbered from 0 in class-id order.
 */
public final class StanfordOnlineProducts {
    private StanfordOnlineProducts() {
    }

    public static TrainTestSplit read(Path root) throws IOException {
        return new TrainTestSplit(readList(root, root.resolve("Ebay_train.txt")),
                readList(root, root.resolve("Ebay_test.txt")));
    }

    static FileImageDataset readList(Path root, Path listFile) throws IOException {
        List<ListFile.Line> lines = ListFile.read(listFile).lines();
        if (lines.isEmpty() || !lines.get(0).fields()[0].equals("image_id")) {
            throw new FileFormatException(listFile + ":1: expected the header 'image_id class_id "
                    + "super_class_id path'");
        }
        List<String> keys = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        for (ListFile.Line line : lines.subList(1, lines.size())) {
            line.intField(0, 4);
            keys.add(Integer.toString(line.intField(1, 4)));
            line.intField(2, 4);
            paths.add(root.resolve(line.field(3, 4)));
        }
        ClassIndex classes = ClassIndex.of(keys);
        List<LabeledFile> items = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            items.add(new LabeledFile(paths.get(i), classes.of(keys.get(i))));
        }
        return new FileImageDataset(items, classes.names());
    }
}
