package org.unicom4j.training.trainer;

import java.util.Set;
import java.util.random.RandomGenerator;

/** Images where some indices throw an IllegalArgumentException naming the image, as an unreadable file does. */
public record FailingImages(TrainingImages images, Set<Integer> bad) implements TrainingImages {
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
        return images.label(index);
    }

    @Override
    public void copyImage(int index, float[] dst, int offset, RandomGenerator augment) {
        if (bad.contains(index)) {
            throw new IllegalArgumentException("image " + index + " is not an image");
        }
        images.copyImage(index, dst, offset, augment);
    }
}
