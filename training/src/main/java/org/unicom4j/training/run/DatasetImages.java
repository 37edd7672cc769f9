package org.unicom4j.training.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.random.RandomGenerator;
import org.unicom4j.data.dataset.ImageDataset;
import org.unicom4j.data.image.ImageTransform;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * Images decoded from files on demand (an ImageFolder or a CSV manifest): each copy decodes the file and applies
 * the training transform (augmentation drawing from the given generator) or, for a null generator, the
 * evaluation transform. The first {@code count} items of the dataset are used.
 */
final class DatasetImages implements TrainingImages {
    private final ImageDataset dataset;
    private final ImageTransform trainTransform;
    private final ImageTransform evalTransform;
    private final int count;

    DatasetImages(ImageDataset dataset, ImageTransform trainTransform, ImageTransform evalTransform, int count) {
        this.dataset = dataset;
        this.trainTransform = trainTransform;
        this.evalTransform = evalTransform;
        this.count = count;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int channels() {
        return evalTransform.channels();
    }

    @Override
    public int size() {
        return evalTransform.height();
    }

    @Override
    public int label(int index) {
        return dataset.label(index);
    }

    @Override
    public void copyImage(int index, float[] dst, int offset, RandomGenerator augment) {
        try {
            var image = dataset.load(index);
            (augment == null ? evalTransform : trainTransform).apply(image, augment, dst, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(dataset.describe(index) + ": " + e.getMessage(), e);
        }
    }
}
