package org.unicom4j.training.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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
    void withoutAugmentationCopiesExactly() {
        InMemoryImages images = new InMemoryImages(pixels(), new int[] {4, 9}, 1, SIZE, 2, true);
        float[] out = new float[SIZE * SIZE];
        images.copyImage(1, out, 0, null);
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels(), SIZE * SIZE, 2 * SIZE * SIZE), out);
        assertEquals(9, images.label(1));
    }

    @Test
    void flipMirrorsAndShiftMovesThePixelWithinTheLimit() {
        InMemoryImages images = new InMemoryImages(pixels(), new int[] {0, 1}, 1, SIZE, 2, true);
        SplittableRandom random = new SplittableRandom(11);
        boolean sawMirror = false, sawPlain = false;
        for (int trial = 0; trial < 200; trial++) {
            float[] out = new float[SIZE * SIZE];
            images.copyImage(0, out, 0, random);
            int at = -1;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == 1f) {
                    assertEquals(-1, at, "exactly one bright pixel");
                    at = i;
                } else {
                    assertEquals(0f, out[i], "background stays 0");
                }
            }
            int row = at / SIZE, col = at % SIZE;
            assertTrue(Math.abs(row - 3) <= 2, "row shift within 2: " + row);
            boolean plain = Math.abs(col - 2) <= 2, mirrored = Math.abs(col - (SIZE - 1 - 2)) <= 2;
            assertTrue(plain || mirrored, "column " + col);
            sawPlain |= plain && !mirrored;
            sawMirror |= mirrored && !plain;
        }
        assertTrue(sawPlain && sawMirror, "both flipped and unflipped draws occur");
    }

    @Test
    void rejectsMismatchedSizes() {
        assertThrows(IllegalArgumentException.class, () -> new InMemoryImages(new float[10], new int[2], 1, SIZE, 0,
                false));
    }
}
