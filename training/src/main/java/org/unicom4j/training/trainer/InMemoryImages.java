package org.unicom4j.training.trainer;

import java.util.random.RandomGenerator;

/**
 * Small preprocessed images held in one float array (e.g. Fashion-MNIST's 60k 28x28), with the light
 * augmentation that suits them when asked: a random shift of up to {@code maxShift} pixels (zero fill) and a
 * horizontal flip with probability 1/2.
 */
public final class InMemoryImages implements TrainingImages {
    private final float[] pixels;
    private final int[] labels;
    private final int channels;
    private final int size;
    private final int maxShift;
    private final boolean flip;

    public InMemoryImages(float[] pixels, int[] labels, int channels, int size, int maxShift, boolean flip) {
        if ((long) labels.length * channels * size * size != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " floats are not " + labels.length + " images of "
                    + channels + "x" + size + "x" + size);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.size = size;
        this.maxShift = maxShift;
        this.flip = flip;
    }

    /** The same images under other labels (e.g. pseudo-classes instead of true classes). */
    public InMemoryImages withLabels(int[] newLabels) {
        return new InMemoryImages(pixels, newLabels, channels, size, maxShift, flip);
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
        int plane = size * size, base = index * channels * plane;
        if (augment == null || (maxShift == 0 && !flip)) {
            System.arraycopy(pixels, base, dst, offset, channels * plane);
            return;
        }
        int dy = maxShift == 0 ? 0 : augment.nextInt(2 * maxShift + 1) - maxShift;
        int dx = maxShift == 0 ? 0 : augment.nextInt(2 * maxShift + 1) - maxShift;
        boolean mirror = flip && augment.nextBoolean();
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < size; y++) {
                int sy = y - dy;
                for (int x = 0; x < size; x++) {
                    int sx = (mirror ? size - 1 - x : x) - dx;
                    boolean inside = sy >= 0 && sy < size && sx >= 0 && sx < size;
                    dst[offset + c * plane + y * size + x] = inside ? pixels[base + c * plane + sy * size + sx] : 0f;
                }
            }
        }
    }
}
