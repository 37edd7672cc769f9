package org.unicom4j.data.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.unicom4j.data.FileFormatException;

/**
 * In-shop Clothes Retrieval (DeepFashion) as it ships: {@code list_eval_partition.txt} under the root (an image
 * count, a header "image_name item_id evaluation_status", then "img/... id_00000001 train|query|gallery"),
 * image paths relative to the root. Query and gallery share one item numbering; train has its own.
 */
public final class InShopClothes {
    private InShopClothes() {
    }

    public static QueryGallerySplit read(Path root) throws IOException {
        ListFile list = ListFile.read(root.resolve("list_eval_partition.txt"));
        List<ListFile.Line> lines = list.lines();
        if (lines.size() < 2 || !lines.get(1).fields()[0].equals("image_name")) {
            throw new FileFormatException(list.file() + ": expected a count line, then the header "
                    + "'image_name item_id evaluation_status'");
        }
        int declared = lines.get(0).intField(0, 1);
        List<ListFile.Line> rows = lines.subList(2, lines.size());
        if (declared != rows.size()) {
            throw new FileFormatException(list.file() + ": first line declares " + declared + " images, found "
                    + rows.size());
        }
        List<ListFile.Line> train = new ArrayList<>();
        List<ListFile.Line> query = new ArrayList<>();
        List<ListFile.Line> gallery = new ArrayList<>();
        for (ListFile.Line line : rows) {
            switch (line.field(2, 3)) {
                case "train" -> train.add(line);
                case "query" -> query.add(line);
                case "gallery" -> gallery.add(line);
                default -> throw line.error("evaluation_status '" + line.fields()[2]
                        + "' is not train, query or gallery");
            }
        }
        ClassIndex trainItems = ClassIndex.of(train.stream().map(l -> l.fields()[1]).toList());
        List<String> evalKeys = new ArrayList<>();
        query.forEach(l -> evalKeys.add(l.fields()[1]));
        gallery.forEach(l -> evalKeys.add(l.fields()[1]));
        ClassIndex evalItems = ClassIndex.of(evalKeys);
        return new QueryGallerySplit(dataset(root, train, trainItems), dataset(root, query, evalItems),
                dataset(root, gallery, evalItems));
    }

    private static FileImageDataset dataset(Path root, List<ListFile.Line> lines, ClassIndex classes) {
        List<LabeledFile> items = new ArrayList<>();
        for (ListFile.Line l : lines) {
            items.add(new LabeledFile(root.resolve(l.fields()[0]), classes.of(l.fields()[1])));
        }
        return new FileImageDataset(items, classes.names());
    }
}
