package org.unicom4j.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Shifts move a single bright pixel by at most the limit, flips mirror it, the rest stays background. */
class PixelShiftTest {
    private static final int SIZE = 8;

    @Test
    void flipMirrorsAndShiftMovesThePixelWithinTheLimit() {
        float[] image = new float[SIZE * SIZE];
        image[3 * SIZE + 2] = 1f; // row 3, column 2
        PixelShift shift = new PixelShift(2, true);
        SplittableRandom random = new SplittableRandom(11);
        boolean sawMirror = false, sawPlain = false;
        for (int trial = 0; trial < 200; trial++) {
            float[] out = new float[SIZE * SIZE];
            shift.apply(image, 0, 1, SIZE, out, 0, random);
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
    void withoutFlipTheImageIsNeverMirrored() {
        float[] image = new float[SIZE * SIZE];
        image[3 * SIZE] = 1f; // left edge: a mirror would put it at the right edge, beyond any shift of 1
        PixelShift shift = new PixelShift(1, false);
        for (int seed = 0; seed < 50; seed++) {
            float[] out = new float[SIZE * SIZE];
            shift.apply(image, 0, 1, SIZE, out, 0, new SplittableRandom(seed));
            for (int y = 0; y < SIZE; y++) {
                for (int x = 2; x < SIZE; x++) {
                    assertEquals(0f, out[y * SIZE + x], "nothing beyond column 1");
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new PixelShift(-1, false));
    }
}
