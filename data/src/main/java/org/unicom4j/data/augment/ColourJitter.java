package org.unicom4j.data.augment;

/**
 * torchvision's colour operations on an RGB float image [3, plane] in [0, 1], in place: brightness (scale),
 * contrast (blend with the mean gray level), saturation (blend with the grayscale image), hue (a shift of the hue
 * in HSV), each clamped to [0, 1] as torchvision's functional ops do; and the grayscale conversion
 * (torchvision's luma 0.2989 R + 0.587 G + 0.114 B, in all three planes).
 */
final class ColourJitter {
    private ColourJitter() {
    }

    static void apply(float[] x, int base, int plane, double brightness, double contrast, double saturation,
                      double hue) {
        for (int i = base; i < base + 3 * plane; i++) {
            x[i] = clamp(x[i] * brightness);
        }
        double mean = 0;
        for (int i = 0; i < plane; i++) {
            mean += luma(x, base, plane, i);
        }
        mean /= plane;
        for (int i = base; i < base + 3 * plane; i++) {
            x[i] = clamp(contrast * x[i] + (1 - contrast) * mean);
        }
        for (int i = 0; i < plane; i++) {
            double gray = luma(x, base, plane, i);
            for (int c = 0; c < 3; c++) {
                int at = base + c * plane + i;
                x[at] = clamp(saturation * x[at] + (1 - saturation) * gray);
            }
        }
        if (hue != 0) {
            for (int i = 0; i < plane; i++) {
                shiftHue(x, base, plane, i, hue);
            }
        }
    }

    static void grayscale(float[] x, int base, int plane) {
        for (int i = 0; i < plane; i++) {
            float gray = (float) luma(x, base, plane, i);
            x[base + i] = gray;
            x[base + plane + i] = gray;
            x[base + 2 * plane + i] = gray;
        }
    }

    private static double luma(float[] x, int base, int plane, int i) {
        return 0.2989 * x[base + i] + 0.587 * x[base + plane + i] + 0.114 * x[base + 2 * plane + i];
    }

    /** RGB -> HSV, h += shift (mod 1), HSV -> RGB, for pixel i. */
    private static void shiftHue(float[] x, int base, int plane, int i, double shift) {
        double r = x[base + i], g = x[base + plane + i], b = x[base + 2 * plane + i];
        double max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b)), delta = max - min;
        if (delta == 0) {
            return; // gray: no hue to shift
        }
        double h;
        if (max == r) {
            h = ((g - b) / delta) / 6;
        } else if (max == g) {
            h = ((b - r) / delta + 2) / 6;
        } else {
            h = ((r - g) / delta + 4) / 6;
        }
        h = h + shift - Math.floor(h + shift);
        double s = delta / max, v = max;
        double f = h * 6 - Math.floor(h * 6);
        double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        double[] rgb = switch ((int) Math.floor(h * 6) % 6) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
        x[base + i] = (float) rgb[0];
        x[base + plane + i] = (float) rgb[1];
        x[base + 2 * plane + i] = (float) rgb[2];
    }

    private static float clamp(double v) {
        return (float) Math.min(Math.max(v, 0), 1);
    }
}
