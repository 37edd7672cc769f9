package org.unicom4j.training.run;

import java.util.stream.IntStream;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.training.trainer.InMemoryImages;
import org.unicom4j.training.trainer.TrainingImages;

/** Images as rows of their (evaluation-mode, unaugmented) pixel values: the raw-pixel features. */
final class ImagePixels {
    private ImagePixels() {
    }

    /** One row of channels x size x size floats per image (images held in memory are not copied). */
    static Vectors of(TrainingImages images) {
        int n = images.count(), floats = images.channels() * images.size() * images.size();
        if (images instanceof InMemoryImages m) {
            return new Vectors(m.pixels(), n, floats);
        }
        float[] rows = new float[Math.multiplyExact(n, floats)];
        IntStream.range(0, n).parallel().forEach(i -> images.copyImage(i, rows, i * floats, null));
        return new Vectors(rows, n, floats);
    }

    /** The images' labels. */
    static int[] labels(TrainingImages images) {
        int[] labels = new int[images.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.label(i);
        }
        return labels;
    }
}
