package org.unicom4j.data.image;

/**
 * torchvision's {@code CenterCrop}: offsets {@code round((size - crop) / 2)} with Python's round-half-to-even, and an
 * image smaller than the crop padded with black first (left/top get the smaller half of the padding).
 */
public final class CenterCrop {
    private CenterCrop() {
    }

    public static PixelImage crop(PixelImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("crop size " + width + "x" + height + " must be positive");
        }
        int w = image.width();
        int h = image.height();
        if (w < width || h < height) {
            int padLeft = w < width ? (width - w) / 2 : 0;
            int padTop = h < height ? (height - h) / 2 : 0;
            image = image.crop(-padLeft, -padTop, Math.max(w, width), Math.max(h, height));
            w = image.width();
            h = image.height();
        }
        int top = (int) Math.rint((h - height) / 2.0);
        int left = (int) Math.rint((w - width) / 2.0);
        if (top == 0 && left == 0 && w == width && h == height) {
            return image;
        }
        return image.crop(left, top, width, height);
    }
}
