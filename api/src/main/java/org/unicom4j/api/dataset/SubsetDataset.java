package org.unicom4j.api.dataset;

import java.io.IOException;
import java.util.List;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.image.PixelImage;

/** Some items of another data set, in the order given (the first N, or those an index does not hold yet). */
final class SubsetDataset implements ImageDataset {
    private final ImageDataset base;
    private final int[] indices;

    SubsetDataset(ImageDataset base, int[] indices) {
        this.base = base;
        this.indices = indices.clone();
        for (int i : this.indices) {
            if (i < 0 || i >= base.size()) {
                throw new IllegalArgumentException("subset index " + i + " outside the data set's 0.." + base.size());
            }
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int label(int index) {
        return base.label(indices[index]);
    }

    @Override
    public String describe(int index) {
        return base.describe(indices[index]);
    }

    @Override
    public PixelImage load(int index) throws IOException {
        return base.load(indices[index]);
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }
}
