package org.unicom4j.data.augment;

import java.util.List;
import java.util.random.RandomGenerator;
import org.unicom4j.data.image.PixelImage;

/**
 * timm's RandAugment ("rand-m9-mstd0.5" = {@code new RandAugment(2, 9, 0.5, 0.5, all ops)}): pick {@code layers}
 * operations uniformly with replacement; apply each with probability {@code probability}, at a magnitude drawn
 * from N(magnitude, magnitudeStd) clipped to [0, 10] (exactly {@code magnitude} when the std is 0).
 *
 * @param layers       operations per image (timm default 2)
 * @param magnitude    mean magnitude, 0..10
 * @param magnitudeStd standard deviation of the magnitude
 * @param probability  chance each chosen operation is applied (timm default 0.5)
 * @param ops          the operations to choose from
 * @param fill         RGB fill for pixels uncovered by geometric operations (timm: the normalisation mean * 255)
 */
public record RandAugment(int layers, double magnitude, double magnitudeStd, double probability,
                          List<RandAugmentOp> ops, int[] fill) {

    /** rand-m{magnitude}-mstd{std} with every operation, fill from the CLIP mean (123, 117, 104). */
    public static RandAugment timm(double magnitude, double magnitudeStd) {
        return new RandAugment(2, magnitude, magnitudeStd, 0.5, List.of(RandAugmentOp.values()),
                new int[] {123, 117, 104});
    }

    public RandAugment {
        ops = List.copyOf(ops);
        fill = fill.clone();
        if (layers < 0 || ops.isEmpty() || magnitude < 0 || magnitude > 10 || magnitudeStd < 0
                || probability < 0 || probability > 1) {
            throw new IllegalArgumentException("RandAugment(layers " + layers + ", m " + magnitude + ", mstd "
                    + magnitudeStd + ", p " + probability + ", " + ops.size()
                    + " ops) needs layers >= 0, m in [0,10], mstd >= 0, p in [0,1], ops");
        }
    }

    public PixelImage apply(PixelImage image, RandomGenerator random) {
        for (int i = 0; i < layers; i++) {
            RandAugmentOp op = ops.get(random.nextInt(ops.size()));
            if (probability < 1.0 && random.nextDouble() > probability) {
                continue;
            }
            double m = magnitudeStd > 0 ? random.nextGaussian(magnitude, magnitudeStd) : magnitude;
            m = Math.max(0, Math.min(10, m));
            image = op.apply(image, m, random, fill);
        }
        return image;
    }
}
