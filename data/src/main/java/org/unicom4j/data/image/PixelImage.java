package org.unicom4j.data.image;

import java.awt.image.BufferedImage;

/**
 * An 8-bit image: {@code height} rows of {@code width} pixels of {@code channels} interleaved samples
 * (1 = grayscale, 3 = RGB), row-major. Kept in 8 bits, as Pillow does, until the final conversion to floats, so
 * every step can round like the reference pipeline.
 */
public record PixelImage(int width, int height, int channels, byte[] pixels) {

    public PixelImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " must be positive");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image has " + channels + " channels; expected 1 or 3");
        }
        if (pixels.length != (long) width * height * channels) {
            throw new IllegalArgumentException("image " + width + "x" + height + "x" + channels + " needs "
                    + (long) width * height * channels + " bytes, got " + pixels.length);
        }
    }

    /** A black image. */
    public static PixelImage blank(int width, int height, int channels) {
        return new PixelImage(width, height, channels, new byte[width * height * channels]);
    }

    /** Sample {@code c} of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c] & 0xff;
    }

    public void set(int x, int y, int c, int value) {
        pixels[(y * width + x) * channels + c] = (byte) value;
    }

    /** This image with three channels (gray replicated, as Pillow's {@code convert("RGB")}); itself if RGB. */
    public PixelImage toRgb() {
        if (channels == 3) {
            return this;
        }
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = pixels[i];
        }
        return new PixelImage(width, height, 3, rgb);
    }

    /** This image as one channel (ITU-R 601-2 luma L = (R*299 + G*587 + B*114) / 1000, Pillow's rounding). */
    public PixelImage toGray() {
        if (channels == 1) {
            return this;
        }
        byte[] gray = new byte[width * height];
        for (int i = 0; i < gray.length; i++) {
            int r = pixels[3 * i] & 0xff;
            int g = pixels[3 * i + 1] & 0xff;
            int b = pixels[3 * i + 2] & 0xff;
            // Pillow's rgb2l: L24 fixed point (r*19595 + g*38470 + b*7471 + 0x8000) >> 16.
            gray[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
        }
        return new PixelImage(width, height, 1, gray);
    }

    /** As an AWT image, for PNG files and drawing: TYPE_BYTE_GRAY for one channel, TYPE_INT_RGB for three. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB);
        if (channels == 1) {
            out.getRaster().setDataElements(0, 0, width, height, pixels);
            return out;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out.setRGB(x, y, (get(x, y, 0) << 16) | (get(x, y, 1) << 8) | get(x, y, 2));
            }
        }
        return out;
    }

    /** A copy of the rectangle at (left, top) of the given size; parts outside the image are black. */
    public PixelImage crop(int left, int top, int cropWidth, int cropHeight) {
        byte[] out = new byte[cropWidth * cropHeight * channels];
        for (int y = 0; y < cropHeight; y++) {
            int sy = top + y;
            if (sy < 0 || sy >= height) {
                continue;
            }
            int x0 = Math.max(0, -left);
            int x1 = Math.min(cropWidth, width - left);
            if (x1 > x0) {
                System.arraycopy(pixels, (sy * width + left + x0) * channels, out, (y * cropWidth + x0) * channels,
                        (x1 - x0) * channels);
            }
        }
        return new PixelImage(cropWidth, cropHeight, channels, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelImage p && width == p.width && height == p.height && channels == p.channels
                && java.util.Arrays.equals(pixels, p.pixels);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(pixels) * 31 + width * 7 + height;
    }

    @Override
    public String toString() {
        return "PixelImage[" + width + "x" + height + "x" + channels + "]";
    }
}
