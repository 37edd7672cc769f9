package org.unicom4j.data.image;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Inference preprocessing as Hugging Face's {@code CLIPImageProcessor} and {@code SiglipImageProcessor} compute it
 * (transformers' image_transforms.py), for RGB models: convert to RGB; resize with Pillow's bicubic filter, either
 * the shorter side to {@code shortestEdge} (the longer side {@code int(edge * long / short)}) or to exactly
 * {@code resizeWidth x resizeHeight}; optionally centre-crop, the offsets {@code (size - crop) // 2} (floor division,
 * where torchvision's {@link CenterCrop} rounds); rescale (the 8-bit value times {@code rescaleFactor} in double,
 * rounded to float32); normalise in float32, {@code (x - mean) / std}. CHW output.
 *
 * @param shortestEdge  the shorter side after resizing, or 0 to resize to the exact size below
 * @param resizeWidth   the width after resizing when {@code shortestEdge} is 0
 * @param resizeHeight  the height after resizing when {@code shortestEdge} is 0
 * @param cropWidth     centre-crop width, or 0 for no crop (required with {@code shortestEdge})
 * @param cropHeight    centre-crop height, or 0 for no crop
 * @param rescaleFactor what 8-bit values are multiplied by (1/255)
 * @param mean          per-channel mean (three values)
 * @param std           per-channel standard deviation (three values)
 */
public record HfImageProcessor(int shortestEdge, int resizeWidth, int resizeHeight, int cropWidth, int cropHeight,
                               double rescaleFactor, float[] mean, float[] std) implements ImageTransform {

    public HfImageProcessor {
        if (shortestEdge < 0 || resizeWidth < 0 || resizeHeight < 0 || cropWidth < 0 || cropHeight < 0) {
            throw new IllegalArgumentException("image processor sizes must be >= 0");
        }
        if (shortestEdge > 0 ? cropWidth == 0 || cropHeight == 0 || cropWidth > shortestEdge
                || cropHeight > shortestEdge : resizeWidth == 0 || resizeHeight == 0) {
            throw new IllegalArgumentException("image processor: give a shortest edge with a crop no larger than it "
                    + "(got edge " + shortestEdge + ", crop " + cropWidth + "x" + cropHeight
                    + "), or an exact resize size (got " + resizeWidth + "x" + resizeHeight + ")");
        }
        if ((cropWidth == 0) != (cropHeight == 0)) {
            throw new IllegalArgumentException("image processor: crop " + cropWidth + "x" + cropHeight
                    + " needs both sides");
        }
        if (!(rescaleFactor > 0) || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("image processor: rescale factor " + rescaleFactor + " must be > 0 and "
                    + "mean and std need 3 values, got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("image processor std " + Arrays.toString(std) + " must be positive");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** CLIPImageProcessor: shorter side to {@code edge}, centre crop {@code crop} x {@code crop}. */
    public static HfImageProcessor shortestEdgeThenCrop(int edge, int crop, double rescaleFactor, float[] mean,
                                                        float[] std) {
        return new HfImageProcessor(edge, 0, 0, crop, crop, rescaleFactor, mean, std);
    }

    /** SiglipImageProcessor: resize to {@code width} x {@code height} whatever the aspect ratio, no crop. */
    public static HfImageProcessor exactResize(int width, int height, double rescaleFactor, float[] mean,
                                               float[] std) {
        return new HfImageProcessor(0, width, height, 0, 0, rescaleFactor, mean, std);
    }

    @Override
    public int channels() {
        return 3;
    }

    @Override
    public int height() {
        return cropHeight > 0 ? cropHeight : resizeHeight;
    }

    @Override
    public int width() {
        return cropWidth > 0 ? cropWidth : resizeWidth;
    }

    /** The 8-bit RGB image after resize and crop (before rescale and normalisation). */
    public PixelImage pixels(PixelImage image) {
        PixelImage rgb = image.toRgb();
        PixelImage resized = shortestEdge > 0 ? ShorterSideResize.resize(rgb, shortestEdge)
                : BicubicResize.resize(rgb, resizeWidth, resizeHeight);
        if (cropWidth == 0) {
            return resized;
        }
        int top = (resized.height() - cropHeight) / 2, left = (resized.width() - cropWidth) / 2;
        return resized.crop(left, top, cropWidth, cropHeight);
    }

    @Override
    public void apply(PixelImage image, RandomGenerator random, float[] dst, int offset) {
        PixelImage p = pixels(image);
        int plane = p.width() * p.height();
        if (offset < 0 || offset + 3L * plane > dst.length) {
            throw new IllegalArgumentException("CHW output of 3x" + p.height() + "x" + p.width()
                    + " does not fit from offset " + offset + " in " + dst.length + " floats");
        }
        byte[] pixels = p.pixels();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float rescaled = (float) ((pixels[3 * i + c] & 0xff) * rescaleFactor);
                dst[offset + c * plane + i] = (rescaled - mean[c]) / std[c];
            }
        }
    }

    /** Convenience: a new CHW array for one image. */
    public float[] apply(PixelImage image) {
        float[] out = new float[outputSize()];
        apply(image, null, out, 0);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HfImageProcessor h && shortestEdge == h.shortestEdge && resizeWidth == h.resizeWidth
                && resizeHeight == h.resizeHeight && cropWidth == h.cropWidth && cropHeight == h.cropHeight
                && rescaleFactor == h.rescaleFactor && Arrays.equals(mean, h.mean) && Arrays.equals(std, h.std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {shortestEdge, resizeWidth, resizeHeight, cropWidth, cropHeight,
            rescaleFactor}) * 31 + Arrays.hashCode(mean) * 7 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return (shortestEdge > 0 ? "shorter side to " + shortestEdge + ", centre crop " + cropWidth + "x" + cropHeight
                : "resize to " + resizeWidth + "x" + resizeHeight) + ", x" + rescaleFactor + ", mean "
                + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
