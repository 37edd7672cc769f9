package org.unicom4j.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** timm's random erasing: one rectangle of bounded area, all channels, only inside the addressed image. */
class RandomErasingTest {
    private static final int C = 3;
    private static final int H = 20;
    private static final int W = 30;

    @Test
    void probabilityZeroNeverErases() {
        float[] t = new float[C * H * W];
        Arrays.fill(t, 7f);
        new RandomErasing(0, RandomErasing.Mode.CONST).apply(t, 0, C, H, W, new SplittableRandom(1));
        for (float v : t) assertEquals(7f, v);
    }

    @Test
    void erasesOneRectangleOfBoundedAreaInEveryChannel() {
        for (int seed = 0; seed < 200; seed++) {
            float[] t = new float[2 + C * H * W + 2];
            Arrays.fill(t, 7f);
            new RandomErasing(1, RandomErasing.Mode.CONST).apply(t, 2, C, H, W, new SplittableRandom(seed));
            assertEquals(7f, t[0]);
            assertEquals(7f, t[1]);
            assertEquals(7f, t[t.length - 1]);
            int[] zeros = new int[C];
            int minX = W, maxX = -1, minY = H, maxY = -1;
            for (int c = 0; c < C; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        if (t[2 + (c * H + y) * W + x] == 0f) {
                            zeros[c]++;
                            minX = Math.min(minX, x);
                            maxX = Math.max(maxX, x);
                            minY = Math.min(minY, y);
                            maxY = Math.max(maxY, y);
                        }
                    }
                }
            }
            if (zeros[0] == 0) {
                continue; // all 10 tries failed to fit: allowed, rare
            }
            assertArrayEquals(new int[] {zeros[0], zeros[0], zeros[0]}, zeros);
            assertEquals((maxX - minX + 1) * (maxY - minY + 1), zeros[0], "one solid rectangle");
            double fraction = zeros[0] / (double) (H * W);
            assertTrue(fraction >= 0.01 && fraction <= 0.4, "area fraction " + fraction);
        }
    }

    @Test
    void pixelModeFillsWithNoiseReproducibly() {
        float[] a = new float[C * H * W];
        float[] b = new float[C * H * W];
        new RandomErasing(1, RandomErasing.Mode.PIXEL).apply(a, 0, C, H, W, new SplittableRandom(9));
        new RandomErasing(1, RandomErasing.Mode.PIXEL).apply(b, 0, C, H, W, new SplittableRandom(9));
        assertArrayEquals(a, b);
        long changed = 0;
        for (float v : a) if (v != 0f) changed++;
        assertTrue(changed > 0);
    }
}
