package org.unicom4j.data.augment;

import java.util.random.RandomGenerator;

/**
 * timm's RandomErasing on a normalised CHW tensor: with probability {@code probability}, up to 10 tries to place a
 * rectangle of area uniform in [0.02, 1/3] of the image and log aspect ratio uniform in [log 0.3, log 1/0.3] that
 * fits strictly inside; its values become per-pixel standard normal noise ({@link Mode#PIXEL}, timm's training
 * default) or zero ({@link Mode#CONST}).
 *
 * @param probability chance of erasing (0.25 in the Unicom recipe)
 * @param mode        what the rectangle is filled with
 */
public record RandomErasing(double probability, Mode mode) {
    public enum Mode { PIXEL, CONST }

    private static final double MIN_AREA = 0.02;
    private static final double MAX_AREA = 1.0 / 3.0;
    private static final double LOG_MIN_RATIO = Math.log(0.3);
    private static final double LOG_MAX_RATIO = Math.log(1 / 0.3);

    public RandomErasing {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("RandomErasing probability " + probability + " must be in [0, 1]");
        }
    }

    /** Erases in place in {@code chw[offset ..]}, an image of {@code channels} x {@code height} x {@code width}. */
    public void apply(float[] chw, int offset, int channels, int height, int width, RandomGenerator random) {
        if (random.nextDouble() > probability) {
            return;
        }
        double area = (double) height * width;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = RandomResizedCrop.uniform(random, MIN_AREA, MAX_AREA) * area;
            double aspect = Math.exp(RandomResizedCrop.uniform(random, LOG_MIN_RATIO, LOG_MAX_RATIO));
            int h = (int) Math.rint(Math.sqrt(target * aspect));
            int w = (int) Math.rint(Math.sqrt(target / aspect));
            if (w < width && h < height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                for (int c = 0; c < channels; c++) {
                    for (int y = top; y < top + h; y++) {
                        int row = offset + (c * height + y) * width;
                        for (int x = left; x < left + w; x++) {
                            chw[row + x] = mode == Mode.PIXEL ? (float) random.nextGaussian() : 0f;
                        }
                    }
                }
                return;
            }
        }
    }
}
