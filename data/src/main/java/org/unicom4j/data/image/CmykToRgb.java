package org.unicom4j.data.image;

import java.awt.image.Raster;

/**
 * CMYK JPEGs the way Pillow decodes them: samples are assumed stored inverted (Adobe convention; Pillow reads
 * every CMYK JPEG as "CMYK;I"), YCCK is first converted to CMYK as libjpeg does (its fixed-point tables), then Pillow's cmyk2rgb:
 * {@code R = clip(nk - muldiv255(C, nk))} with {@code nk = 255 - K} (no ICC colour management).
 */
final class CmykToRgb {
    private CmykToRgb() {
    }

    /** {@code raster}: the 4 raw bands as stored in the JPEG; {@code adobeTransform}: 2 for YCCK. */
    static PixelImage fromJpegRaster(Raster raster, int adobeTransform) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] px = new int[4 * w];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, px);
            for (int x = 0; x < w; x++) {
                int a = px[4 * x];
                int b = px[4 * x + 1];
                int c = px[4 * x + 2];
                int k = px[4 * x + 3];
                // Pillow's C, M, Y after its "CMYK;I" inversion; its K is 255 - stored K, so nk = stored K.
                int cp;
                int mp;
                int yp;
                if (adobeTransform == 2) {
                    // libjpeg turns YCCK into C = 255 - R(Y, Cb, Cr) (and so on); Pillow's inversion undoes the
                    // 255 -, leaving the YCbCr -> RGB result.
                    cp = clamp(a + crToR(c));
                    mp = clamp(a + cbCrToG(b, c));
                    yp = clamp(a + cbToB(b));
                } else {
                    cp = 255 - a;
                    mp = 255 - b;
                    yp = 255 - c;
                }
                int nk = k;
                int o = (y * w + x) * 3;
                out[o] = (byte) clamp(nk - mulDiv255(cp, nk));
                out[o + 1] = (byte) clamp(nk - mulDiv255(mp, nk));
                out[o + 2] = (byte) clamp(nk - mulDiv255(yp, nk));
            }
        }
        return new PixelImage(w, h, 3, out);
    }

    /** Pillow's MULDIV255: a * b / 255 rounded, in integer arithmetic. */
    static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    // libjpeg's jdcolor.c fixed-point YCbCr -> RGB (16 fractional bits, FIX(x) = round(x * 2^16)).
    private static final int SCALE_BITS = 16;
    private static final int HALF = 1 << (SCALE_BITS - 1);

    private static int fix(double x) {
        return (int) (x * (1 << SCALE_BITS) + 0.5);
    }

    static int crToR(int cr) {
        return (fix(1.40200) * (cr - 128) + HALF) >> SCALE_BITS;
    }

    static int cbToB(int cb) {
        return (fix(1.77200) * (cb - 128) + HALF) >> SCALE_BITS;
    }

    static int cbCrToG(int cb, int cr) {
        return (-fix(0.34414) * (cb - 128) + HALF - fix(0.71414) * (cr - 128)) >> SCALE_BITS;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
