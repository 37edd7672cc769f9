package org.unicom4j.api.dataset;

import java.util.ArrayList;
import java.util.List;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.retrieval.embeddings.ManifestEntry;

/**
 * Labelled images to embed, with what identifies each one in a manifest or an index (its absolute path, or
 * {@code file#n} for an image inside an IDX file) and the benchmark split it belongs to (empty when none).
 *
 * @param dataset     the images, in manifest order
 * @param ids         one id per item
 * @param splits      one split name per item ("test", "query", "gallery", ... or "")
 * @param description what to call the source in tables and messages
 */
public record ImageSource(ImageDataset dataset, List<String> ids, List<String> splits, String description) {

    public ImageSource {
        if (ids.size() != dataset.size() || splits.size() != dataset.size()) {
            throw new IllegalArgumentException(description + ": " + ids.size() + " ids and " + splits.size()
                    + " splits for " + dataset.size() + " images");
        }
        ids = List.copyOf(ids);
        splits = List.copyOf(splits);
    }

    public int size() {
        return dataset.size();
    }

    /** The items at {@code indices}, in that order. */
    public ImageSource subset(int[] indices) {
        List<String> i = new ArrayList<>(indices.length);
        List<String> s = new ArrayList<>(indices.length);
        for (int index : indices) {
            i.add(ids.get(index));
            s.add(splits.get(index));
        }
        return new ImageSource(new SubsetDataset(dataset, indices), i, s, description);
    }

    /** The first {@code n} items (all of them when there are fewer). */
    public ImageSource first(int n) {
        if (n >= size()) {
            return this;
        }
        int[] indices = new int[n];
        for (int k = 0; k < n; k++) {
            indices[k] = k;
        }
        return subset(indices);
    }

    /** The manifest line of item {@code index}, written as row {@code row}. */
    public ManifestEntry entry(int row, int index) {
        int label = dataset.label(index);
        return new ManifestEntry(row, ids.get(index), label, dataset.classNames().get(label), splits.get(index));
    }
}
