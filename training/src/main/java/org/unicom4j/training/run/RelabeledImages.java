package org.unicom4j.training.run;

import java.util.random.RandomGenerator;
import org.unicom4j.training.trainer.TrainingImages;

/** The same images under other labels: pseudo-classes for training instead of the dataset's own labels. */
final class RelabeledImages implements TrainingImages {
    private final TrainingImages images;
    private final int[] labels;

    RelabeledImages(TrainingImages images, int[] labels) {
        if (labels.length != images.count()) {
            throw new IllegalArgumentException(labels.length + " labels for " + images.count() + " images");
        }
        this.images = images;
        this.labels = labels;
    }

    @Override
    public int count() {
        return images.count();
    }

    @Override
    public int channels() {
        return images.channels();
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void copyImage(int index, float[] dst, int offset, RandomGenerator augment) {
        images.copyImage(index, dst, offset, augment);
    }
}
