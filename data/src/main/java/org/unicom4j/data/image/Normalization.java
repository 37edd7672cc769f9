package org.unicom4j.data.image;

import java.util.Arrays;

/**
 * The last preprocessing step: 8-bit samples to floats {@code (v / 255 - mean[c]) / std[c]}, laid out CHW. Computed
 * in float32 in the same order as torchvision's {@code ToTensor} then {@code Normalize}, so results match bit for bit.
 *
 * @param mean per-channel mean, one per channel
 * @param std  per-channel standard deviation
 */
public record Normalization(float[] mean, float[] std) {
    /** CLIP's statistics, used by Unicom (openai/CLIP clip.py, deepglint/unicom model.py). */
    public static final Normalization CLIP = new Normalization(
            new float[] {0.48145466f, 0.4578275f, 0.40821073f},
            new float[] {0.26862954f, 0.26130258f, 0.27577711f});

    /** Maps [0, 255] to [0, 1] only. */
    public static Normalization unit(int channels) {
        float[] zero = new float[channels];
        float[] one = new float[channels];
        Arrays.fill(one, 1f);
        return new Normalization(zero, one);
    }

    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalization has " + mean.length + " means and " + std.length
                    + " stds; expected the same non-zero count");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalization std " + Arrays.toString(std) + " must be positive");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /** Writes {@code image} (whose channel count must match) as CHW floats into {@code dst[offset ..]}. */
    public void toChw(PixelImage image, float[] dst, int offset) {
        int c = image.channels();
        if (c != mean.length) {
            throw new IllegalArgumentException("image has " + c + " channels, normalization expects " + mean.length);
        }
        int plane = image.width() * image.height();
        if (offset < 0 || offset + (long) plane * c > dst.length) {
            throw new IllegalArgumentException("CHW output of " + c + "x" + image.height() + "x" + image.width()
                    + " does not fit from offset " + offset + " in " + dst.length + " floats");
        }
        byte[] p = image.pixels();
        for (int ch = 0; ch < c; ch++) {
            float m = mean[ch];
            float s = std[ch];
            int base = offset + ch * plane;
            for (int i = 0; i < plane; i++) {
                float unit = (p[i * c + ch] & 0xff) / 255f;
                dst[base + i] = (unit - m) / s;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
