package org.unicom4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unicom4j.training.trainer.InMemoryImages;

/** The zoom-and-shift augmentation: identities, bilinear values worked by hand, flips, zero fill. */
class AffineJitterImagesTest {
    private static final int SIZE = 5;

    private static InMemoryImages ramp() {
        float[] pixels = new float[SIZE * SIZE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i;
        }
        return new InMemoryImages(pixels, new int[] {3}, 1, SIZE, 0, false);
    }

    @Test
    void withoutRandomnessOrJitterTheImageIsUnchanged() {
        InMemoryImages base = ramp();
        float[] out = new float[SIZE * SIZE + 2];
        new AffineJitterImages(base, 0.2, 1, true).copyImage(0, out, 2, null);
        assertArrayEquals(base.pixels(), java.util.Arrays.copyOfRange(out, 2, out.length));
        float[] still = new float[SIZE * SIZE];
        new AffineJitterImages(base, 0, 0, false).copyImage(0, still, 0, new SplittableRandom(1));
        assertArrayEquals(base.pixels(), still, 1e-6f);
        assertEquals(3, new AffineJitterImages(base, 0, 0, false).label(0));
    }

    @Test
    void bilinearSamplesInterpolateAndFillWithZero() {
        float[] p = ramp().pixels();
        assertEquals(7f, AffineJitterImages.bilinear(p, 0, SIZE, 2, 1), 1e-6f, "a grid point is the pixel");
        assertEquals(7.5f, AffineJitterImages.bilinear(p, 0, SIZE, 2.5, 1), 1e-6f, "halfway along x");
        assertEquals(10f, AffineJitterImages.bilinear(p, 0, SIZE, 2.5, 1.5), 1e-6f, "(7 + 8 + 12 + 13) / 4");
        assertEquals(7f, AffineJitterImages.bilinear(p, 0, SIZE, 4.5, 2), 1e-6f, "half of pixel (4, 2) = 14 beside the zero edge");
        assertEquals(0f, AffineJitterImages.bilinear(p, 0, SIZE, -3, 2), 0f, "outside is background");
    }

    @Test
    void flipGivesTheImageOrItsMirror() {
        InMemoryImages base = ramp();
        AffineJitterImages images = new AffineJitterImages(base, 0, 0, true);
        int mirrored = 0;
        for (int seed = 0; seed < 40; seed++) {
            float[] out = new float[SIZE * SIZE];
            images.copyImage(0, out, 0, new SplittableRandom(seed));
            boolean isMirror = out[0] == SIZE - 1;
            assertEquals(isMirror ? SIZE - 1 : 0, out[0], 1e-6f);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    assertEquals(base.pixels()[y * SIZE + (isMirror ? SIZE - 1 - x : x)], out[y * SIZE + x], 1e-5f);
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
        AffineJitterImages images = new AffineJitterImages(new InMemoryImages(ones, new int[] {0}, 1, SIZE, 0, false),
                0.3, 0, false);
        boolean sawBorderLoss = false;
        for (int seed = 0; seed < 20; seed++) {
            float[] out = new float[SIZE * SIZE];
            images.copyImage(0, out, 0, new SplittableRandom(seed));
            assertEquals(1f, out[SIZE * SIZE / 2], 1e-6f, "the centre maps to itself");
            for (float v : out) {
                assertTrue(v >= 0 && v <= 1 + 1e-6, "bilinear values stay within the image's range: " + v);
            }
            sawBorderLoss |= out[0] < 1;
        }
        assertTrue(sawBorderLoss, "zooming out brings background in at the corners");
        assertThrows(IllegalArgumentException.class, () -> new AffineJitterImages(ramp(), 0.5, 0, false));
    }
}
