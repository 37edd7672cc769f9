package org.unicom4j.data.augment;

import java.util.random.RandomGenerator;

/**
 * One view of the two-view (SimCLR-style) augmentation SSCQ trains with (spec sscq.md), on small float images
 * [channels, size, size] in [0, 1] held in memory. In order: a random resized crop (area share uniform in
 * [minScale, maxScale], log aspect ratio uniform in log [3/4, 4/3], torchvision's window choice) resampled
 * bilinearly back to size x size; a horizontal flip with probability {@code flip}; for three channels only, a colour
 * jitter with probability {@code jitter} (brightness, contrast and saturation factors uniform in [1 - 0.4, 1 + 0.4],
 * hue shifted by up to 0.1 of the circle) and a grayscale conversion with probability {@code grayscale}; then a
 * Gaussian blur with probability {@code blur} (sigma uniform in [0.1, 2], kernel of about a tenth of the side,
 * odd, at least 3, reflected at the border). One-channel images skip the colour operations and draw nothing for
 * them. Drawing a view twice from one generator gives the two views of an image; the draws depend only on the
 * generator and the settings.
 *
 * @param minScale  smallest crop area share, in (0, maxScale]
 * @param maxScale  largest crop area share, at most 1
 * @param flip      probability of a horizontal flip
 * @param jitter    probability of the colour jitter (three channels)
 * @param grayscale probability of the grayscale conversion (three channels)
 * @param blur      probability of the Gaussian blur
 */
public record ContrastiveViews(double minScale, double maxScale, double flip, double jitter, double grayscale,
                               double blur) implements FloatImageAugmentation {
    private static final double JITTER = 0.4;
    private static final double HUE = 0.1;
    private static final double MIN_SIGMA = 0.1;
    private static final double MAX_SIGMA = 2.0;

    public ContrastiveViews {
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
            throw new IllegalArgumentException("contrastive views: crop scale [" + minScale + ", " + maxScale
                    + "], expected 0 < min <= max <= 1");
        }
        for (double p : new double[] {flip, jitter, grayscale, blur}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("contrastive views: probability " + p + ", expected [0, 1]");
            }
        }
    }

    @Override
    public void apply(float[] src, int from, int channels, int size, float[] dst, int to, RandomGenerator random) {
        int plane = size * size;
        int[] w = new RandomResizedCrop(size, minScale, maxScale, 3.0 / 4.0, 4.0 / 3.0).window(size, size, random);
        boolean mirror = random.nextDouble() < flip;
        for (int c = 0; c < channels; c++) {
            crop(src, from + c * plane, size, w, mirror, dst, to + c * plane);
        }
        if (channels == 3) {
            if (random.nextDouble() < jitter) {
                ColourJitter.apply(dst, to, plane, 1 + JITTER * (2 * random.nextDouble() - 1),
                        1 + JITTER * (2 * random.nextDouble() - 1), 1 + JITTER * (2 * random.nextDouble() - 1),
                        HUE * (2 * random.nextDouble() - 1));
            }
            if (random.nextDouble() < grayscale) {
                ColourJitter.grayscale(dst, to, plane);
            }
        }
        if (random.nextDouble() < blur) {
            double sigma = MIN_SIGMA + (MAX_SIGMA - MIN_SIGMA) * random.nextDouble();
            for (int c = 0; c < channels; c++) {
                GaussianBlur.apply(dst, to + c * plane, size, kernelSize(size), sigma);
            }
        }
    }

    /** About a tenth of the side, odd, at least 3 (SimCLR's 10% of the image). */
    static int kernelSize(int size) {
        int k = Math.max(3, (int) Math.round(size * 0.1));
        return k % 2 == 0 ? k + 1 : k;
    }

    /** The window {left, top, w, h} of the plane at {@code base}, resampled bilinearly (edges clamped). */
    private static void crop(float[] src, int base, int size, int[] w, boolean mirror, float[] dst, int out) {
        double sx = (double) w[2] / size, sy = (double) w[3] / size;
        for (int y = 0; y < size; y++) {
            double fy = clamp(w[1] + (y + 0.5) * sy - 0.5, size);
            int y0 = (int) fy, y1 = Math.min(y0 + 1, size - 1);
            double ty = fy - y0;
            for (int x = 0; x < size; x++) {
                double fx = clamp(w[0] + ((mirror ? size - 1 - x : x) + 0.5) * sx - 0.5, size);
                int x0 = (int) fx, x1 = Math.min(x0 + 1, size - 1);
                double tx = fx - x0;
                double top = (1 - tx) * src[base + y0 * size + x0] + tx * src[base + y0 * size + x1];
                double bottom = (1 - tx) * src[base + y1 * size + x0] + tx * src[base + y1 * size + x1];
                dst[out + y * size + x] = (float) ((1 - ty) * top + ty * bottom);
            }
        }
    }

    private static double clamp(double v, int size) {
        return Math.min(Math.max(v, 0), size - 1);
    }
}
