package org.unicom4j.data.augment;

import org.unicom4j.data.image.PixelImage;

/** Mirror left-right. */
public final class HorizontalFlip {
    private HorizontalFlip() {
    }

    public static PixelImage flip(PixelImage image) {
        int w = image.width();
        int c = image.channels();
        byte[] src = image.pixels();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < image.height(); y++) {
            int row = y * w * c;
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, row + x * c, dst, row + (w - 1 - x) * c, c);
            }
        }
        return new PixelImage(w, image.height(), c, dst);
    }
}
