package org.unicom4j.training.trainer;

import java.util.random.RandomGenerator;

/**
 * Training images that pass every call on to other images: the base of wrappers that change one aspect (the
 * labels, or what some images hold) and leave the rest as it is.
 */
public abstract class ForwardingImages implements TrainingImages {
    protected final TrainingImages images;

    protected ForwardingImages(TrainingImages images) {
        this.images = images;
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
        return images.label(index);
    }

    @Override
    public void copyImage(int index, float[] dst, int offset, RandomGenerator augment) {
        images.copyImage(index, dst, offset, augment);
    }
}
