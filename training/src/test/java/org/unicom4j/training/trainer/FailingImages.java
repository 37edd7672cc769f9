package org.unicom4j.training.trainer;

import java.util.Set;
import java.util.random.RandomGenerator;

/** Images where some indices throw an IllegalArgumentException naming the image, as an unreadable file does. */
public final class FailingImages extends ForwardingImages {
    private final Set<Integer> bad;

    public FailingImages(TrainingImages images, Set<Integer> bad) {
        super(images);
        this.bad = bad;
    }

    @Override
    public void copyImage(int index, float[] dst, int offset, RandomGenerator augment) {
        if (bad.contains(index)) {
            throw new IllegalArgumentException("image " + index + " is not an image");
        }
        images.copyImage(index, dst, offset, augment);
    }
}
