package org.unicom4j.data.dataset;

import java.io.IOException;
import java.util.List;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.PixelImage;

/** Images stored one per file, decoded on demand with {@link ImageDecoder}. */
public final class FileImageDataset implements ImageDataset {
    private final List<LabeledFile> items;
    private final List<String> classNames;

    /** Every label must index {@code classNames}. */
    public FileImageDataset(List<LabeledFile> items, List<String> classNames) {
        this.items = List.copyOf(items);
        this.classNames = List.copyOf(classNames);
        for (LabeledFile f : this.items) {
            if (f.label() >= this.classNames.size()) {
                throw new IllegalArgumentException(f.path() + ": label " + f.label() + " out of range; "
                        + this.classNames.size() + " classes");
            }
        }
    }

    public List<LabeledFile> items() {
        return items;
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public int label(int index) {
        return items.get(index).label();
    }

    @Override
    public String describe(int index) {
        return items.get(index).path().toString();
    }

    @Override
    public PixelImage load(int index) throws IOException {
        return ImageDecoder.decode(items.get(index).path());
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public String toString() {
        return "FileImageDataset[" + items.size() + " images, " + classNames.size() + " classes]";
    }
}
