package org.unicom4j.data.augment;

import java.util.random.RandomGenerator;
import org.unicom4j.data.image.PixelImage;

/**
 * The operations of timm's RandAugment ({@code _RAND_TRANSFORMS}) with timm's magnitude-to-argument mappings
 * (timm/data/auto_augment.py; magnitude on a 0..10 scale). Signed arguments are negated with probability 1/2.
 * Geometric operations fill uncovered pixels with {@code fill}.
 */
public enum RandAugmentOp {
    AUTO_CONTRAST {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return PointOps.autoContrast(im);
        }
    },
    EQUALIZE {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return PointOps.equalize(im);
        }
    },
    INVERT {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return PointOps.map(im, v -> 255 - v);
        }
    },
    /** Up to 30 degrees. */
    ROTATE {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return AffineWarp.rotate(im, signed(m / 10 * 30, r), fill);
        }
    },
    /** Keep int(m / 10 * 4) most significant bits, 0..4 (timm's "Posterize" mapping, from TF EfficientNet). */
    POSTERIZE {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            int bits = (int) (m / 10 * 4);
            int mask = bits >= 8 ? 0xff : ~((1 << (8 - bits)) - 1) & 0xff;
            return PointOps.map(im, v -> v & mask);
        }
    },
    /** Invert samples at or above int(m / 10 * 256). */
    SOLARIZE {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            int threshold = (int) (m / 10 * 256);
            return PointOps.map(im, v -> v < threshold ? v : 255 - v);
        }
    },
    /** Add int(m / 10 * 110) to samples below 128. */
    SOLARIZE_ADD {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            int add = (int) (m / 10 * 110);
            return PointOps.map(im, v -> v < 128 ? Math.min(255, v + add) : v);
        }
    },
    /** Saturation factor m / 10 * 1.8 + 0.1. */
    COLOR {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return Enhance.color(im, enhance(m));
        }
    },
    CONTRAST {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return Enhance.contrast(im, enhance(m));
        }
    },
    BRIGHTNESS {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return Enhance.brightness(im, enhance(m));
        }
    },
    SHARPNESS {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return Enhance.sharpness(im, enhance(m));
        }
    },
    /** Shear factor up to 0.3. */
    SHEAR_X {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return AffineWarp.warp(im, 1, signed(m / 10 * 0.3, r), 0, 0, 1, 0, fill);
        }
    },
    SHEAR_Y {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return AffineWarp.warp(im, 1, 0, 0, signed(m / 10 * 0.3, r), 1, 0, fill);
        }
    },
    /** Translation up to 45% of the width. */
    TRANSLATE_X {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return AffineWarp.warp(im, 1, 0, signed(m / 10 * 0.45, r) * im.width(), 0, 1, 0, fill);
        }
    },
    TRANSLATE_Y {
        @Override
        PixelImage apply(PixelImage im, double m, RandomGenerator r, int[] fill) {
            return AffineWarp.warp(im, 1, 0, 0, 0, 1, signed(m / 10 * 0.45, r) * im.height(), fill);
        }
    };

    /** Applies the operation at {@code magnitude} (0..10). */
    abstract PixelImage apply(PixelImage image, double magnitude, RandomGenerator random, int[] fill);

    /** Public entry for callers composing their own policies. */
    public PixelImage apply(PixelImage image, double magnitude, RandomGenerator random) {
        return apply(image, magnitude, random, new int[] {124, 116, 104});
    }

    static double enhance(double m) {
        return m / 10 * 1.8 + 0.1;
    }

    static double signed(double v, RandomGenerator r) {
        return r.nextDouble() > 0.5 ? -v : v;
    }
}
