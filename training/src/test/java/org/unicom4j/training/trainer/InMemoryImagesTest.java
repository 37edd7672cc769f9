package org.unicom4j.training.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.augment.PixelShift;

class InMemoryImagesTest {
    private static final int SIZE = 8;

    /** Two images: a single bright pixel at (row 3, col 2), and a constant image. */
    private static float[] pixels() {
        float[] p = new float[2 * SIZE * SIZE];
        p[3 * SIZE + 2] = 1f;
        java.util.Arrays.fill(p, SIZE * SIZE, 2 * SIZE * SIZE, 0.5f);
        return p;
    }

    @Test
    void withoutAGeneratorCopiesExactly() {
        InMemoryImages images = new InMemoryImages(pixels(), new int[] {4, 9}, 1, SIZE, new PixelShift(2, true));
        float[] out = new float[SIZE * SIZE];
        images.copyImage(1, out, 0, null);
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels(), SIZE * SIZE, 2 * SIZE * SIZE), out);
        assertEquals(9, images.label(1));
        assertEquals(3, images.withLabels(new int[] {3, 5}).label(0));
    }

    @Test
    void aGeneratorDrawsTheAugmentationOfTheImagesOwnPixels() {
        PixelShift shift = new PixelShift(2, true);
        InMemoryImages images = new InMemoryImages(pixels(), new int[] {0, 1}, 1, SIZE, shift);
        float[] out = new float[SIZE * SIZE + 3];
        images.copyImage(0, out, 3, new SplittableRandom(5));
        float[] expected = new float[SIZE * SIZE + 3];
        shift.apply(pixels(), 0, 1, SIZE, expected, 3, new SplittableRandom(5));
        assertArrayEquals(expected, out);
    }

    @Test
    void rejectsMismatchedSizes() {
        assertThrows(IllegalArgumentException.class, () -> new InMemoryImages(new float[10], new int[2], 1, SIZE,
                null));
    }
}
