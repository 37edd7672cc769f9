package org.unicom4j.data.augment;

import java.util.random.RandomGenerator;

/**
 * A small random zoom with a sub-pixel shift: each draw scales the image about its centre by a factor in
 * [1 - scaleJitter, 1 + scaleJitter], moves it by up to maxShift pixels in x and y, and mirrors it when flip is
 * on (draw order: scale, x shift, y shift, mirror), resampling bilinearly with zero (the background) outside.
 */
public record AffineJitter(double scaleJitter, double maxShift, boolean flip) implements FloatImageAugmentation {
    public AffineJitter {
        if (!(scaleJitter >= 0 && scaleJitter < 0.5) || !(maxShift >= 0)) {
            throw new IllegalArgumentException("affine jitter: scale jitter " + scaleJitter + " and shift "
                    + maxShift + ", expected [0, 0.5) and >= 0");
        }
    }

    @Override
    public void apply(float[] src, int from, int channels, int size, float[] dst, int to, RandomGenerator random) {
        int plane = size * size;
        double scale = 1 + scaleJitter * (2 * random.nextDouble() - 1);
        double dx = maxShift * (2 * random.nextDouble() - 1), dy = maxShift * (2 * random.nextDouble() - 1);
        boolean mirror = flip && random.nextBoolean();
        double centre = (size - 1) / 2.0;
        for (int y = 0; y < size; y++) {
            double sy = (y - dy - centre) / scale + centre;
            for (int x = 0; x < size; x++) {
                double sx = ((mirror ? size - 1 - x : x) - dx - centre) / scale + centre;
                for (int c = 0; c < channels; c++) {
                    dst[to + c * plane + y * size + x] = bilinear(src, from + c * plane, size, sx, sy);
                }
            }
        }
    }

    /** The plane at {@code base} sampled at (x, y), zero outside the image. */
    static float bilinear(float[] pixels, int base, int size, double x, double y) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        double fx = x - x0, fy = y - y0;
        return (float) ((1 - fy) * ((1 - fx) * at(pixels, base, size, x0, y0) + fx * at(pixels, base, size, x0 + 1, y0))
                + fy * ((1 - fx) * at(pixels, base, size, x0, y0 + 1) + fx * at(pixels, base, size, x0 + 1, y0 + 1)));
    }

    private static float at(float[] pixels, int base, int size, int x, int y) {
        return x < 0 || y < 0 || x >= size || y >= size ? 0f : pixels[base + y * size + x];
    }
}
