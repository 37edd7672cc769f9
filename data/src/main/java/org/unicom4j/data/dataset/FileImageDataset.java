package org.unicom4j.data.dataset;

import java.io.IOException;
import java.util.List;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.PixelImage;

/**
 * Images stored one per file, decoded on demand with {@link ImageDecoder}; an image of more than the pixel limit
 * ({@link ImageDecoder#DEFAULT_MAX_PIXELS} unless set with {@link #withMaxImagePixels}) is refused unread.
 */
public final class FileImageDataset implements ImageDataset {
    private final List<LabeledFile> items;
    private final List<String> classNames;
    private final long maxImagePixels;

    /** Every label must index {@code classNames}. */
    public FileImageDataset(List<LabeledFile> items, List<String> classNames) {
        this(items, classNames, ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    private FileImageDataset(List<LabeledFile> items, List<String> classNames, long maxImagePixels) {
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("maxImagePixels " + maxImagePixels + " must be positive");
        }
        this.items = List.copyOf(items);
        this.classNames = List.copyOf(classNames);
        this.maxImagePixels = maxImagePixels;
        for (LabeledFile f : this.items) {
            if (f.label() >= this.classNames.size()) {
                throw new IllegalArgumentException(f.path() + ": label " + f.label() + " out of range; "
                        + this.classNames.size() + " classes");
            }
        }
    }

    /** The same images, decoded with another pixel limit. */
    public FileImageDataset withMaxImagePixels(long maxImagePixels) {
        return new FileImageDataset(items, classNames, maxImagePixels);
    }

    /** The pixel limit images are decoded with. */
    public long maxImagePixels() {
        return maxImagePixels;
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
        return ImageDecoder.decode(items.get(index).path(), maxImagePixels);
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
