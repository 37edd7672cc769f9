package org.unicom4j.data.augment;

import org.unicom4j.data.image.PixelImage;

/**
 * Pillow's {@code Image.transform(size, AFFINE, (a, b, c, d, e, f), BILINEAR, fillcolor)}: output pixel centre
 * (x + 0.5, y + 0.5) reads the input at (a x' + b y' + c, d x' + e y' + f), bilinearly (edges clamped, result
 * truncated, as Pillow's Geometry.c); points outside the input get {@code fill}. Used for RandAugment's rotate, shear and translate.
 */
final class AffineWarp {
    private AffineWarp() {
    }

    static PixelImage warp(PixelImage in, double a, double b, double c, double d, double e, double f, int[] fill) {
        int w = in.width();
        int h = in.height();
        int ch = in.channels();
        PixelImage out = PixelImage.blank(w, h, ch);
        for (int y = 0; y < h; y++) {
            double yc = y + 0.5;
            for (int x = 0; x < w; x++) {
                double xc = x + 0.5;
                double sx = a * xc + b * yc + c;
                double sy = d * xc + e * yc + f;
                if (sx < 0 || sy < 0 || sx >= w || sy >= h) {
                    for (int k = 0; k < ch; k++) {
                        out.set(x, y, k, fill[Math.min(k, fill.length - 1)]);
                    }
                    continue;
                }
                // Sample centres sit at integer + 0.5; clamp the 2x2 neighbourhood at the borders.
                double fx = sx - 0.5;
                double fy = sy - 0.5;
                int x0 = (int) Math.floor(fx);
                int y0 = (int) Math.floor(fy);
                double tx = fx - x0;
                double ty = fy - y0;
                int xa = Math.max(x0, 0);
                int xb = Math.min(x0 + 1, w - 1);
                int ya = Math.max(y0, 0);
                int yb = Math.min(y0 + 1, h - 1);
                for (int k = 0; k < ch; k++) {
                    // Pillow's BILINEAR(a, b, d) = a + (b - a) d, truncated to 8 bits.
                    double top = in.get(xa, ya, k) + (in.get(xb, ya, k) - in.get(xa, ya, k)) * tx;
                    double bottom = in.get(xa, yb, k) + (in.get(xb, yb, k) - in.get(xa, yb, k)) * tx;
                    int v = (int) (top + (bottom - top) * ty);
                    out.set(x, y, k, Math.max(0, Math.min(255, v)));
                }
            }
        }
        return out;
    }

    /** Rotation by {@code degrees} counter-clockwise about the centre (Pillow's {@code rotate}). */
    static PixelImage rotate(PixelImage in, double degrees, int[] fill) {
        double t = -Math.toRadians(degrees);
        double cos = Math.cos(t);
        double sin = Math.sin(t);
        double cx = in.width() / 2.0;
        double cy = in.height() / 2.0;
        // input = M (output - centre) + centre with M = [[cos, sin], [-sin, cos]] (Pillow's matrix for -angle).
        return warp(in, cos, sin, cx - cos * cx - sin * cy, -sin, cos, cy + sin * cx - cos * cy, fill);
    }
}
