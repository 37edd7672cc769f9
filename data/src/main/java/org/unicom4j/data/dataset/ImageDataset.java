package org.unicom4j.data.dataset;

import java.io.IOException;
import java.util.List;
import org.unicom4j.data.image.PixelImage;

/**
 * A fixed, ordered collection of labelled images. Labels are contiguous class indices {@code 0 .. classCount()-1};
 * {@link #classNames()} maps them back to what the source calls the classes. Loading may be slow (decoding) and
 * is safe to call from several threads.
 */
public interface ImageDataset {
    int size();

    /** Class index of item {@code index}. */
    int label(int index);

    /** What to call item {@code index} in messages: its file path, or file and position for packed formats. */
    String describe(int index);

    /**
     * Decodes item {@code index}; a bad item throws an {@link org.unicom4j.data.InvalidInputException} (an
     * {@link org.unicom4j.data.image.InvalidImageException} for an image that cannot be decoded) or, for a file that
     * cannot be read, an {@link IOException}, naming it.
     */
    PixelImage load(int index) throws IOException;

    /** Class names, indexed by label. */
    List<String> classNames();

    default int classCount() {
        return classNames().size();
    }

    /** All labels, in item order. */
    default int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }
}
