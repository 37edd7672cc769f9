package org.unicom4j.data.augment;

import java.util.function.IntUnaryOperator;
import org.unicom4j.data.image.PixelImage;

/** Per-sample look-up-table operations, as Pillow's ImageOps computes them, channel by channel. */
final class PointOps {
    private PointOps() {
    }

    static PixelImage map(PixelImage im, IntUnaryOperator f) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = f.applyAsInt(v);
        }
        int[][] luts = new int[im.channels()][];
        java.util.Arrays.fill(luts, lut);
        return apply(im, luts);
    }

    static PixelImage apply(PixelImage im, int[][] luts) {
        byte[] src = im.pixels();
        byte[] out = new byte[src.length];
        int c = im.channels();
        for (int i = 0; i < src.length; i++) {
            out[i] = (byte) luts[i % c][src[i] & 0xff];
        }
        return new PixelImage(im.width(), im.height(), c, out);
    }

    static int[][] histograms(PixelImage im) {
        int c = im.channels();
        int[][] h = new int[c][256];
        byte[] p = im.pixels();
        for (int i = 0; i < p.length; i++) {
            h[i % c][p[i] & 0xff]++;
        }
        return h;
    }

    /** ImageOps.autocontrast(cutoff=0): stretch each channel's [min, max] to [0, 255]. */
    static PixelImage autoContrast(PixelImage im) {
        int[][] hist = histograms(im);
        int[][] luts = new int[hist.length][256];
        for (int ch = 0; ch < hist.length; ch++) {
            int lo = 0;
            while (lo < 256 && hist[ch][lo] == 0) lo++;
            int hi = 255;
            while (hi >= 0 && hist[ch][hi] == 0) hi--;
            for (int v = 0; v < 256; v++) {
                if (hi <= lo) {
                    luts[ch][v] = v;
                } else {
                    double scale = 255.0 / (hi - lo);
                    int x = (int) (v * scale - lo * scale);
                    luts[ch][v] = Math.max(0, Math.min(255, x));
                }
            }
        }
        return apply(im, luts);
    }

    /** ImageOps.equalize: each channel's cumulative histogram spread evenly, Pillow's integer steps. */
    static PixelImage equalize(PixelImage im) {
        int[][] hist = histograms(im);
        int[][] luts = new int[hist.length][256];
        for (int ch = 0; ch < hist.length; ch++) {
            int[] h = hist[ch];
            int last = 255;
            while (last > 0 && h[last] == 0) last--;
            long total = 0;
            for (int v : h) total += v;
            long step = (total - h[last]) / 255;
            if (step == 0) {
                for (int v = 0; v < 256; v++) luts[ch][v] = v;
                continue;
            }
            long n = step / 2;
            for (int v = 0; v < 256; v++) {
                luts[ch][v] = (int) Math.min(255, n / step);
                n += h[v];
            }
        }
        return apply(im, luts);
    }
}
