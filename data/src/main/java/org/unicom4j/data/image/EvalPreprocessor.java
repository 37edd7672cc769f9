package org.unicom4j.data.image;

import java.util.random.RandomGenerator;

/**
 * Inference preprocessing of the reference (deepglint/unicom {@code _transform}, as CLIP's): bicubic resize of the
 * shorter side to {@code size}, centre crop {@code size} x {@code size}, convert to the model's channels, /255,
 * normalise. Deterministic: the random generator is ignored.
 *
 * @param size          crop side (224, or 336 for ViT-L/14@336px)
 * @param normalization per-channel mean/std; its channel count (3 or 1) is the output's
 */
public record EvalPreprocessor(int size, Normalization normalization) implements ImageTransform {

    /** The Unicom/CLIP preprocessing at {@code size}. */
    public static EvalPreprocessor clip(int size) {
        return new EvalPreprocessor(size, Normalization.CLIP);
    }

    public EvalPreprocessor {
        if (size <= 0) {
            throw new IllegalArgumentException("preprocessing size " + size + " must be positive");
        }
    }

    @Override
    public int channels() {
        return normalization.channels();
    }

    @Override
    public int height() {
        return size;
    }

    @Override
    public int width() {
        return size;
    }

    /** The 8-bit image after resize, crop and channel conversion (before /255 and normalisation). */
    public PixelImage pixels(PixelImage image) {
        PixelImage resized = ShorterSideResize.resize(image, size);
        PixelImage cropped = CenterCrop.crop(resized, size, size);
        return channels() == 3 ? cropped.toRgb() : cropped.toGray();
    }

    @Override
    public void apply(PixelImage image, RandomGenerator random, float[] dst, int offset) {
        normalization.toChw(pixels(image), dst, offset);
    }

    /** Convenience: a new CHW array for one image. */
    public float[] apply(PixelImage image) {
        float[] out = new float[outputSize()];
        apply(image, null, out, 0);
        return out;
    }
}
