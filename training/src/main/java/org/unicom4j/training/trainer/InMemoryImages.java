package org.unicom4j.training.trainer;

import java.util.random.RandomGenerator;
import org.unicom4j.data.augment.FloatImageAugmentation;

/**
 * Small preprocessed images held in one float array (e.g. Fashion-MNIST's 60k 28x28), with the light
 * augmentation that suits them when asked (a {@link FloatImageAugmentation}: a pixel shift and flip, or a zoom).
 */
public final class InMemoryImages implements TrainingImages {
    private final float[] pixels;
    private final int[] labels;
    private final int channels;
    private final int size;
    private final FloatImageAugmentation augmentation;

    /** {@code augmentation} applies to training draws; null for none. */
    public InMemoryImages(float[] pixels, int[] labels, int channels, int size, FloatImageAugmentation augmentation) {
        if ((long) labels.length * channels * size * size != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " floats are not " + labels.length + " images of "
                    + channels + "x" + size + "x" + size);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.size = size;
        this.augmentation = augmentation;
    }

    /** The same images under other labels (e.g. pseudo-classes instead of true classes). */
    public InMemoryImages withLabels(int[] newLabels) {
        return new InMemoryImages(pixels, newLabels, channels, size, augmentation);
    }

    @Override
    public int count() {
        return labels.length;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    public int[] labels() {
        return labels;
    }

    /** The raw image tensor [count, channels, size, size]. */
    public float[] pixels() {
        return pixels;
    }

    @Override
    public void copyImage(int index, float[] dst, int offset, RandomGenerator augment) {
        int from = index * channels * size * size;
        if (augment == null || augmentation == null) {
            System.arraycopy(pixels, from, dst, offset, channels * size * size);
        } else {
            augmentation.apply(pixels, from, channels, size, dst, offset, augment);
        }
    }
}
