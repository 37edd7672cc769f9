package org.unicom4j.data.dataset;

import java.nio.file.Path;

/** One image file and its class index. */
public record LabeledFile(Path path, int label) {
    public LabeledFile {
        if (label < 0) {
            throw new IllegalArgumentException(path + ": label " + label + " must be >= 0");
        }
    }
}
