package org.unicom4j.data.image;

import java.util.random.RandomGenerator;

/**
 * Turns a decoded image into a fixed-size CHW float tensor. Random transforms (training augmentation) draw only
 * from the generator they are given, so a loader that derives it from (seed, epoch, index) gets the same tensor
 * whichever thread runs it.
 */
public interface ImageTransform {
    /** Channels of the output (1 or 3). */
    int channels();

    /** Output height. */
    int height();

    /** Output width. */
    int width();

    /** Floats written per image: channels * height * width. */
    default int outputSize() {
        return channels() * height() * width();
    }

    /** Writes the transformed {@code image} into {@code dst[offset .. offset + outputSize())}. */
    void apply(PixelImage image, RandomGenerator random, float[] dst, int offset);
}
