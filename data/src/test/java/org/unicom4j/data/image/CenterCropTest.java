package org.unicom4j.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** torchvision's centre-crop offsets (Python round, half to even) and its zero padding of small images. */
class CenterCropTest {

    private static PixelImage ramp(int w, int h) {
        PixelImage p = PixelImage.blank(w, h, 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p.set(x, y, 0, 10 * y + x);
            }
        }
        return p;
    }

    @Test
    void oddMarginRoundsHalfToEven() {
        // (7 - 4) / 2 = 1.5 -> 2 ; (6 - 3) / 2 = 1.5 -> 2 ; (9 - 4) / 2 = 2.5 -> 2.
        assertEquals(2, CenterCrop.crop(ramp(7, 5), 4, 5).get(0, 0, 0));
        assertEquals(20, CenterCrop.crop(ramp(3, 6), 3, 3).get(0, 0, 0));
        assertEquals(2, CenterCrop.crop(ramp(9, 5), 4, 5).get(0, 0, 0));
    }

    @Test
    void smallImageIsPaddedWithBlack() {
        PixelImage out = CenterCrop.crop(ramp(2, 2), 5, 4);
        assertEquals(5, out.width());
        assertEquals(4, out.height());
        // padding: left (5-2)/2 = 1, top (4-2)/2 = 1.
        assertEquals(0, out.get(0, 1, 0));
        assertEquals(0, out.get(1, 1, 0));
        assertEquals(11, out.get(2, 2, 0));
        assertEquals(0, out.get(4, 3, 0));
    }
}
