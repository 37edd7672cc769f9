package org.unicom4j.data.augment;

import java.util.random.RandomGenerator;

/**
 * A random shift by whole pixels, up to {@code maxShift} in each direction with zero fill, and with {@code flip}
 * a horizontal mirror with probability 1/2 (draw order: vertical shift, horizontal shift, mirror).
 */
public record PixelShift(int maxShift, boolean flip) implements FloatImageAugmentation {
    public PixelShift {
        if (maxShift < 0) {
            throw new IllegalArgumentException("pixel shift: maxShift " + maxShift + ", expected >= 0");
        }
    }

    @Override
    public void apply(float[] src, int from, int channels, int size, float[] dst, int to, RandomGenerator random) {
        int plane = size * size;
        int dy = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
        int dx = maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
        boolean mirror = flip && random.nextBoolean();
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < size; y++) {
                int sy = y - dy;
                for (int x = 0; x < size; x++) {
                    int sx = (mirror ? size - 1 - x : x) - dx;
                    boolean inside = sy >= 0 && sy < size && sx >= 0 && sx < size;
                    dst[to + c * plane + y * size + x] = inside ? src[from + c * plane + sy * size + sx] : 0f;
                }
            }
        }
    }
}
