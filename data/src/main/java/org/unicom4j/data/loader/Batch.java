package org.unicom4j.data.loader;

/**
 * One batch: {@code size} images as floats [size, channels, height, width] (row-major), their labels, and their
 * indices in the data set. {@code size} can be below the requested batch size for the last batch of an epoch or
 * when bad images were skipped.
 *
 * @param epoch   the epoch it belongs to
 * @param number  its position within the epoch, from 0
 * @param images  size * channels * height * width floats
 * @param labels  size labels
 * @param indices size data-set indices
 */
public record Batch(int epoch, int number, int size, int channels, int height, int width, float[] images,
                    int[] labels, int[] indices) {

    public Batch {
        if (images.length != (long) size * channels * height * width || labels.length != size
                || indices.length != size) {
            throw new IllegalArgumentException("batch of " + size + " x " + channels + "x" + height + "x" + width
                    + " got " + images.length + " floats, " + labels.length + " labels, " + indices.length
                    + " indices");
        }
    }

    /** Floats per image. */
    public int imageSize() {
        return channels * height * width;
    }
}
