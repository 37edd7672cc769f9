package org.unicom4j.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The zoom-and-shift augmentation: identities, bilinear values worked by hand, flips, zero fill. */
class AffineJitterTest {
    private static final int SIZE = 5;

    private static float[] ramp() {
        float[] pixels = new float[SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i;
        }
        return pixels;
    }

    private static float[] draw(AffineJitter jitter, float[] image, long seed) {
        float[] out = new float[SIZE * SIZE + 2];
        jitter.apply(image, 0, 1, SIZE, out, 2, new SplittableRandom(seed));
        return java.util.Arrays.copyOfRange(out, 2, out.length);
    }

    @Test
    void withoutJitterTheImageIsUnchanged() {
        assertArrayEquals(ramp(), draw(new AffineJitter(0, 0, false), ramp(), 1), 1e-6f);
    }

    @Test
    void bilinearSamplesInterpolateAndFillWithZero() {
        float[] p = ramp();
        assertEquals(7f, AffineJitter.bilinear(p, 0, SIZE, 2, 1), 1e-6f, "a grid point is the pixel");
        assertEquals(7.5f, AffineJitter.bilinear(p, 0, SIZE, 2.5, 1), 1e-6f, "halfway along x");
        assertEquals(10f, AffineJitter.bilinear(p, 0, SIZE, 2.5, 1.5), 1e-6f, "(7 + 8 + 12 + 13) / 4");
        assertEquals(7f, AffineJitter.bilinear(p, 0, SIZE, 4.5, 2), 1e-6f, "half of pixel (4, 2) = 14 beside the zero edge");
        assertEquals(0f, AffineJitter.bilinear(p, 0, SIZE, -3, 2), 0f, "outside is background");
    }

    @Test
    void flipGivesTheImageOrItsMirror() {
        AffineJitter jitter = new AffineJitter(0, 0, true);
        float[] base = ramp();
        int mirrored = 0;
        for (int seed = 0; seed < 40; seed++) {
            float[] out = draw(jitter, base, seed);
            boolean isMirror = out[0] == SIZE - 1;
            assertEquals(isMirror ? SIZE - 1 : 0, out[0], 1e-6f);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    assertEquals(base[y * SIZE + (isMirror ? SIZE - 1 - x : x)], out[y * SIZE + x], 1e-5f);
                }
            }
            mirrored += isMirror ? 1 : 0;
        }
        assertTrue(mirrored > 5 && mirrored < 35, "both outcomes occur: " + mirrored + " of 40 mirrored");
    }

    @Test
    void zoomKeepsTheCentreAndFillsUncoveredBorderWithBackground() {
        float[] ones = new float[SIZE * SIZE];
        java.util.Arrays.fill(ones, 1f);
        AffineJitter jitter = new AffineJitter(0.3, 0, false);
        boolean sawBorderLoss = false;
        for (int seed = 0; seed < 20; seed++) {
            float[] out = draw(jitter, ones, seed);
            assertEquals(1f, out[SIZE * SIZE / 2], 1e-6f, "the centre maps to itself");
            for (float v : out) {
                assertTrue(v >= 0 && v <= 1 + 1e-6, "bilinear values stay within the image's range: " + v);
            }
            sawBorderLoss |= out[0] < 1;
        }
        assertTrue(sawBorderLoss, "zooming out brings background in at the corners");
        assertThrows(IllegalArgumentException.class, () -> new AffineJitter(0.5, 0, false));
    }
}
