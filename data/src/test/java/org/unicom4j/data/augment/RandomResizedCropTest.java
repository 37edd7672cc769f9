package org.unicom4j.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The crop windows of torchvision's algorithm: inside the image, within scale and ratio, reproducible. */
class RandomResizedCropTest {

    @Test
    void windowsRespectScaleRatioAndBounds() {
        RandomResizedCrop crop = RandomResizedCrop.standard(32);
        SplittableRandom random = new SplittableRandom(11);
        int w = 203;
        int h = 97;
        double minFraction = 1;
        double maxFraction = 0;
        for (int i = 0; i < 2000; i++) {
            int[] r = crop.window(w, h, random);
            assertTrue(r[0] >= 0 && r[1] >= 0 && r[2] > 0 && r[3] > 0 && r[0] + r[2] <= w && r[1] + r[3] <= h);
            double fraction = (double) r[2] * r[3] / (w * h);
            double ratio = (double) r[2] / r[3];
            // Rounding the sides to integers moves area and ratio a little outside the sampled range.
            if (fraction < 0.99) {
                assertTrue(fraction > 0.08 * 0.8 && ratio > 0.75 * 0.85 && ratio < 4.0 / 3 * 1.15,
                        "window " + java.util.Arrays.toString(r));
            }
            minFraction = Math.min(minFraction, fraction);
            maxFraction = Math.max(maxFraction, fraction);
        }
        assertTrue(minFraction < 0.1, "small crops occur: " + minFraction);
        // At most 97 x 129 of a 203 x 97 image has a ratio <= 4/3: 0.636 of the area.
        assertTrue(maxFraction > 0.6 && maxFraction <= 0.64, "large crops occur: " + maxFraction);
    }

    @Test
    void sameSeedSameWindows() {
        RandomResizedCrop crop = RandomResizedCrop.standard(32);
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(crop.window(64, 48, a), crop.window(64, 48, b));
        }
    }

    @Test
    void impossibleRatioFallsBackToTheCentredCrop() {
        // A square window of at least 90% of a 100x10 image cannot fit: torchvision's fallback is the centred
        // crop with the nearest allowed ratio: 10x10 at x = 45.
        RandomResizedCrop crop = new RandomResizedCrop(8, 0.9, 1.0, 1.0, 1.0);
        assertArrayEquals(new int[] {45, 0, 10, 10}, crop.window(100, 10, new SplittableRandom(1)));
        RandomResizedCrop wide = new RandomResizedCrop(8, 0.9, 1.0, 2.0, 2.0);
        assertArrayEquals(new int[] {0, 20, 10, 5}, wide.window(10, 45, new SplittableRandom(1)));
    }

    @Test
    void outputIsTheRequestedSize() {
        var image = org.unicom4j.data.image.PixelImage.blank(50, 30, 3);
        var out = RandomResizedCrop.standard(17).apply(image, new SplittableRandom(2));
        assertEquals(17, out.width());
        assertEquals(17, out.height());
    }
}
