package org.unicom4j.training.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;

/**
 * Pseudo-class labels from a {@code .npy} file (as {@code unicom4j cluster} writes k-means assignments): an
 * integer array of shape [n] or [n, 1], one label >= 0 per image, in the dataset's order.
 */
final class PseudoLabels {
    private PseudoLabels() {
    }

    /**
     * The labels of the first {@code used} of {@code total} images: the file must hold either {@code total} labels
     * (the whole dataset) or exactly {@code used} (the labels of the used prefix).
     */
    static int[] read(Path file, int used, int total) throws IOException {
        NpyArray array = NpyArray.read(file);
        long[] shape = array.shape();
        if (!(shape.length == 1 || (shape.length == 2 && shape[1] == 1))) {
            throw new InvalidInputException(file + ": pseudo-labels have shape " + Arrays.toString(shape)
                    + ", expected [n] or [n, 1]");
        }
        if (array.dtype().isFloatingPoint()) {
            throw new InvalidInputException(file + ": pseudo-labels are " + array.dtype().descr()
                    + ", expected an integer dtype");
        }
        int[] labels = array.toInts();
        if (labels.length != total && labels.length != used) {
            throw new InvalidInputException(file + ": " + labels.length + " pseudo-labels, expected " + total
                    + " (one per image)" + (used != total ? " or " + used + " (one per used image)" : ""));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new InvalidInputException(file + ": pseudo-label " + i + " is " + labels[i] + ", expected >= 0");
            }
        }
        return Arrays.copyOf(labels, used);
    }
}
