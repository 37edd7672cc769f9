package org.unicom4j.data.image;

/**
 * Bicubic resampling that reproduces Pillow's {@code Image.resize(size, BICUBIC)} bit for bit on 8-bit images,
 * which is what torchvision's {@code Resize} runs on PIL images and so what the released weights were used with.
 *
 * <p>The algorithm (as described by Pillow's libImaging/Resample.c; reimplemented here): a separable convolution,
 * horizontal pass first, each pass rounding to 8 bits. The cubic kernel has a = -0.5 and support 2, stretched by
 * the scale factor when shrinking (so downscaling is antialiased). Each output sample's weights are normalised to
 * sum 1, then quantised to 22-bit fixed point; sums start at one half and are clipped to 0..255.
 */
public final class BicubicResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private BicubicResize() {
    }

    /** {@code image} resized to {@code width} x {@code height}. */
    public static PixelImage resize(PixelImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("resize target " + width + "x" + height + " must be positive");
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        int c = image.channels();
        Coefficients vertical = Coefficients.of(image.height(), height);
        PixelImage out = image;
        if (width != image.width()) {
            // Only the source rows the vertical pass will read need a horizontal pass (as Pillow does).
            int firstRow = vertical.bounds[0];
            int lastRow = vertical.bounds[2 * (height - 1)] + vertical.bounds[2 * (height - 1) + 1];
            out = horizontal(image, Coefficients.of(image.width(), width), firstRow, lastRow - firstRow);
            vertical.shift(firstRow);
        }
        if (height != image.height()) {
            out = vertical(out, vertical);
        }
        return out;
    }

    private static PixelImage horizontal(PixelImage in, Coefficients k, int firstRow, int rows) {
        int c = in.channels();
        int outWidth = k.outSize;
        byte[] src = in.pixels();
        byte[] dst = new byte[outWidth * rows * c];
        for (int y = 0; y < rows; y++) {
            int rowBase = (y + firstRow) * in.width() * c;
            for (int x = 0; x < outWidth; x++) {
                int xmin = k.bounds[2 * x];
                int count = k.bounds[2 * x + 1];
                int kBase = x * k.kernelSize;
                for (int ch = 0; ch < c; ch++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    int s = rowBase + xmin * c + ch;
                    for (int i = 0; i < count; i++, s += c) {
                        sum += (src[s] & 0xff) * k.weights[kBase + i];
                    }
                    dst[(y * outWidth + x) * c + ch] = clip8(sum);
                }
            }
        }
        return new PixelImage(outWidth, rows, c, dst);
    }

    private static PixelImage vertical(PixelImage in, Coefficients k) {
        int c = in.channels();
        int w = in.width();
        int outHeight = k.outSize;
        byte[] src = in.pixels();
        byte[] dst = new byte[w * outHeight * c];
        int stride = w * c;
        for (int y = 0; y < outHeight; y++) {
            int ymin = k.bounds[2 * y];
            int count = k.bounds[2 * y + 1];
            int kBase = y * k.kernelSize;
            for (int xc = 0; xc < stride; xc++) {
                int sum = 1 << (PRECISION_BITS - 1);
                int s = ymin * stride + xc;
                for (int i = 0; i < count; i++, s += stride) {
                    sum += (src[s] & 0xff) * k.weights[kBase + i];
                }
                dst[y * stride + xc] = clip8(sum);
            }
        }
        return new PixelImage(w, outHeight, c, dst);
    }

    private static byte clip8(int sum) {
        if (sum <= 0) {
            return 0;
        }
        if (sum >= 255 << PRECISION_BITS) {
            return (byte) 255;
        }
        return (byte) (sum >> PRECISION_BITS);
    }

    static double cubic(double x) {
        final double a = -0.5;
        x = Math.abs(x);
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Per output index: the first input index, how many inputs it reads, and their fixed-point weights. */
    private static final class Coefficients {
        final int outSize;
        final int kernelSize;
        final int[] bounds;
        final int[] weights;

        private Coefficients(int outSize, int kernelSize, int[] bounds, int[] weights) {
            this.outSize = outSize;
            this.kernelSize = kernelSize;
            this.bounds = bounds;
            this.weights = weights;
        }

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int kernelSize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[2 * outSize];
            int[] weights = new int[outSize * kernelSize];
            double[] w = new double[kernelSize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                // (int) truncates toward zero, as the C casts in the reference do.
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double total = 0;
                for (int x = 0; x < xmax; x++) {
                    w[x] = cubic((x + xmin - center + 0.5) * ss);
                    total += w[x];
                }
                for (int x = 0; x < xmax; x++) {
                    double normalised = total != 0.0 ? w[x] / total : w[x];
                    double fixed = normalised * (1 << PRECISION_BITS);
                    weights[xx * kernelSize + x] = (int) (normalised < 0 ? -0.5 + fixed : 0.5 + fixed);
                }
                bounds[2 * xx] = xmin;
                bounds[2 * xx + 1] = xmax;
            }
            return new Coefficients(outSize, kernelSize, bounds, weights);
        }

        void shift(int firstRow) {
            for (int i = 0; i < outSize; i++) {
                bounds[2 * i] -= firstRow;
            }
        }
    }
}
