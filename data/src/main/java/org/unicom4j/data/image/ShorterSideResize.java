package org.unicom4j.data.image;

/**
 * torchvision's {@code Resize(n)} with a single int: the shorter side becomes {@code n}, the longer side
 * {@code int(n * long / short)} (truncated, as torchvision computes it), bicubic as Pillow.
 */
public final class ShorterSideResize {
    private ShorterSideResize() {
    }

    /** Output {width, height} for an input of {@code width} x {@code height}. */
    public static int[] outputSize(int width, int height, int shorter) {
        if (shorter <= 0) {
            throw new IllegalArgumentException("shorter side " + shorter + " must be positive");
        }
        if (width <= height) {
            return new int[] {shorter, (int) ((double) shorter * height / width)};
        }
        return new int[] {(int) ((double) shorter * width / height), shorter};
    }

    public static PixelImage resize(PixelImage image, int shorter) {
        int[] size = outputSize(image.width(), image.height(), shorter);
        return BicubicResize.resize(image, size[0], size[1]);
    }
}
