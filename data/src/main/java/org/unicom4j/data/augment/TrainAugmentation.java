package org.unicom4j.data.augment;

import java.util.random.RandomGenerator;
import org.unicom4j.data.image.ImageTransform;
import org.unicom4j.data.image.Normalization;
import org.unicom4j.data.image.PixelImage;

/**
 * The training pipeline of the Unicom fine-tuning recipe for In-shop and iNat (spec section 5): convert to the
 * model's channels, random resized crop to {@code size}, horizontal flip with probability {@code flip}, RandAugment
 * (optional), /255 and normalise, random erasing (optional). For SOP the recipe uses no augmentation: use
 * {@link org.unicom4j.data.image.EvalPreprocessor} instead.
 *
 * @param crop          random resized crop (its size is the output size)
 * @param flip          probability of a horizontal flip (0.5)
 * @param randAugment   RandAugment, or null for none
 * @param normalization per-channel mean/std; its channel count is the output's
 * @param erasing       random erasing, or null for none
 */
public record TrainAugmentation(RandomResizedCrop crop, double flip, RandAugment randAugment,
                                Normalization normalization, RandomErasing erasing) implements ImageTransform {

    /** RandomResizedCrop + flip + RandAugment(m9, mstd 0.5) + RandomErasing(0.25), CLIP normalisation. */
    public static TrainAugmentation unicomRecipe(int size) {
        return new TrainAugmentation(RandomResizedCrop.standard(size), 0.5, RandAugment.timm(9, 0.5),
                Normalization.CLIP, new RandomErasing(0.25, RandomErasing.Mode.PIXEL));
    }

    public TrainAugmentation {
        if (flip < 0 || flip > 1) {
            throw new IllegalArgumentException("flip probability " + flip + " must be in [0, 1]");
        }
    }

    @Override
    public int channels() {
        return normalization.channels();
    }

    @Override
    public int height() {
        return crop.size();
    }

    @Override
    public int width() {
        return crop.size();
    }

    /** The augmented 8-bit image before normalisation and erasing. */
    public PixelImage pixels(PixelImage image, RandomGenerator random) {
        PixelImage im = channels() == 3 ? image.toRgb() : image.toGray();
        im = crop.apply(im, random);
        if (random.nextDouble() < flip) {
            im = HorizontalFlip.flip(im);
        }
        if (randAugment != null) {
            im = randAugment.apply(im, random);
        }
        return im;
    }

    @Override
    public void apply(PixelImage image, RandomGenerator random, float[] dst, int offset) {
        normalization.toChw(pixels(image, random), dst, offset);
        if (erasing != null) {
            erasing.apply(dst, offset, channels(), height(), width(), random);
        }
    }
}
