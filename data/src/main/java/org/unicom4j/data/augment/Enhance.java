package org.unicom4j.data.augment;

import org.unicom4j.data.image.PixelImage;

/**
 * Pillow's ImageEnhance family: blend the image with a "degenerate" version, {@code out = deg + factor (img - deg)},
 * in single precision, clipped to 0..255 and truncated as Pillow's {@code Image.blend}. Factor 1 is the identity,
 * 0 the degenerate image, above 1 an extrapolation away from it.
 */
final class Enhance {
    private Enhance() {
    }

    static PixelImage blend(PixelImage degenerate, PixelImage image, double factor) {
        byte[] a = degenerate.pixels();
        byte[] b = image.pixels();
        byte[] out = new byte[b.length];
        // Pillow's ImagingBlend takes alpha as a C float and computes in single precision.
        float alpha = (float) factor;
        for (int i = 0; i < b.length; i++) {
            int d = a[i] & 0xff;
            float v = d + alpha * ((b[i] & 0xff) - d);
            out[i] = (byte) (v <= 0f ? 0 : v >= 255f ? 255 : (int) v);
        }
        return new PixelImage(image.width(), image.height(), image.channels(), out);
    }

    /** Saturation: the degenerate image is the luma, replicated. */
    static PixelImage color(PixelImage image, double factor) {
        if (image.channels() == 1) {
            return image;
        }
        return blend(image.toGray().toRgb(), image, factor);
    }

    /** Contrast: the degenerate image is flat at the rounded mean luma. */
    static PixelImage contrast(PixelImage image, double factor) {
        PixelImage gray = image.toGray();
        long sum = 0;
        for (byte p : gray.pixels()) {
            sum += p & 0xff;
        }
        int mean = (int) (sum / (double) gray.pixels().length + 0.5);
        byte[] flat = new byte[image.pixels().length];
        java.util.Arrays.fill(flat, (byte) mean);
        return blend(new PixelImage(image.width(), image.height(), image.channels(), flat), image, factor);
    }

    /** Brightness: the degenerate image is black. */
    static PixelImage brightness(PixelImage image, double factor) {
        return blend(PixelImage.blank(image.width(), image.height(), image.channels()), image, factor);
    }

    /** Sharpness: the degenerate image is Pillow's SMOOTH filter (3x3, centre 5, others 1, /13), borders kept. */
    static PixelImage sharpness(PixelImage image, double factor) {
        int w = image.width();
        int h = image.height();
        int c = image.channels();
        PixelImage smooth = new PixelImage(w, h, c, image.pixels().clone());
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                for (int k = 0; k < c; k++) {
                    int s = 4 * image.get(x, y, k);
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            s += image.get(x + dx, y + dy, k);
                        }
                    }
                    smooth.set(x, y, k, (s + 6) / 13);
                }
            }
        }
        return blend(smooth, image, factor);
    }
}
