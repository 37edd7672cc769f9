package org.unicom4j.cli.demo;

import java.util.random.RandomGenerator;
import org.unicom4j.training.trainer.ForwardingImages;
import org.unicom4j.training.trainer.InMemoryImages;

/**
 * Training images with a small random zoom added to the shift: each draw scales the image about its centre by
 * a factor in [1 - scaleJitter, 1 + scaleJitter], moves it by up to maxShift pixels in x and y (sub-pixel), and
 * mirrors it when flip is on, resampling bilinearly with zero (the background) outside. Labels and pixels are
 * those of the wrapped images.
 */
final class AffineJitterImages extends ForwardingImages {
    private final InMemoryImages base;
    private final double scaleJitter;
    private final double maxShift;
    private final boolean flip;

    AffineJitterImages(InMemoryImages base, double scaleJitter, double maxShift, boolean flip) {
        if (!(scaleJitter >= 0 && scaleJitter < 0.5) || !(maxShift >= 0)) {
            throw new IllegalArgumentException("affine jitter: scale jitter " + scaleJitter + " and shift "
                    + maxShift + ", expected [0, 0.5) and >= 0");
        }
        super(base);
        this.base = base;
        this.scaleJitter = scaleJitter;
        this.maxShift = maxShift;
        this.flip = flip;
    }

    @Override
    public void copyImage(int index, float[] dst, int offset, RandomGenerator augment) {
        int size = base.size(), plane = size * size, channels = base.channels();
        float[] pixels = base.pixels();
        int from = index * channels * plane;
        if (augment == null) {
            System.arraycopy(pixels, from, dst, offset, channels * plane);
            return;
        }
        double scale = 1 + scaleJitter * (2 * augment.nextDouble() - 1);
        double dx = maxShift * (2 * augment.nextDouble() - 1), dy = maxShift * (2 * augment.nextDouble() - 1);
        boolean mirror = flip && augment.nextBoolean();
        double centre = (size - 1) / 2.0;
        for (int y = 0; y < size; y++) {
            double sy = (y - dy - centre) / scale + centre;
            for (int x = 0; x < size; x++) {
                double sx = ((mirror ? size - 1 - x : x) - dx - centre) / scale + centre;
                for (int c = 0; c < channels; c++) {
                    dst[offset + c * plane + y * size + x] = bilinear(pixels, from + c * plane, size, sx, sy);
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
