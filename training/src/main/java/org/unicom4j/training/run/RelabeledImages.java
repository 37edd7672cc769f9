package org.unicom4j.training.run;

import org.unicom4j.training.trainer.ForwardingImages;
import org.unicom4j.training.trainer.TrainingImages;

/** The same images under other labels: pseudo-classes for training instead of the dataset's own labels. */
final class RelabeledImages extends ForwardingImages {
    private final int[] labels;

    RelabeledImages(TrainingImages images, int[] labels) {
        super(images);
        if (labels.length != images.count()) {
            throw new IllegalArgumentException(labels.length + " labels for " + images.count() + " images");
        }
        this.labels = labels;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }
}
