package org.unicom4j.data.augment;

import java.util.random.RandomGenerator;

/**
 * A random augmentation of small images held in memory as floats [channels, size, size] (e.g. Fashion-MNIST in
 * [0, 1], background 0): writes one augmented draw of the image at {@code src[from..]} to {@code dst[to..]}. The
 * draw depends only on the image and the generator, so the same generator state gives the same image on any
 * thread at any time.
 */
public interface FloatImageAugmentation {
    void apply(float[] src, int from, int channels, int size, float[] dst, int to, RandomGenerator random);
}
