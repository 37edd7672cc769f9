package org.unicom4j.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unicom4j.data.TestFiles;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.data.image.PixelImage;
import org.unicom4j.data.npy.NpyArray;

/**
 * Each RandAugment operation against Pillow's at the same argument (data/src/test/python/make_augment_fixtures.py).
 * All match bit for bit; the tolerance columns are there to say so explicitly.
 */
class RandAugmentOpPillowTest {
    /** nextDouble() is 0: signed arguments keep their sign. */
    private static final RandomGenerator POSITIVE = () -> 0L;
    /** nextDouble() is just below 1: signed arguments are negated. */
    private static final RandomGenerator NEGATIVE = () -> -1L;

    @ParameterizedTest(name = "{0} m={1}")
    @CsvSource({
        "AUTO_CONTRAST, 0, +, autocontrast, 0, 0",
        "EQUALIZE, 0, +, equalize, 0, 0",
        "POSTERIZE, 9, +, posterize3, 0, 0",
        "SOLARIZE, 8.984375, +, solarize230, 0, 0",
        "COLOR, 9, +, color1.72, 0, 0",
        "CONTRAST, 2, +, contrast0.46, 0, 0",
        "BRIGHTNESS, 10, +, brightness1.9, 0, 0",
        "SHARPNESS, 10, +, sharpness1.9, 0, 0",
        "ROTATE, 9, +, rotate27, 0, 0",
        "SHEAR_X, 9, +, shearx0.27, 0, 0",
        "TRANSLATE_Y, 10, -, translatey-0.45, 0, 0",
    })
    void matchesPillow(RandAugmentOp op, double magnitude, String sign, String fixture, int tolerance,
                       double allowedOutsideFraction) throws IOException {
        PixelImage photo = ImageDecoder.decode(TestFiles.resource("image/photo.png"));
        PixelImage ours = op.apply(photo, magnitude, sign.equals("+") ? POSITIVE : NEGATIVE,
                new int[] {123, 117, 104});
        NpyArray expected = NpyArray.read(TestFiles.resource("augment/" + fixture + ".npy"));
        byte[] e = expected.toBytes();
        byte[] a = ours.pixels();
        assertEquals(e.length, a.length);
        int outside = 0;
        int worst = 0;
        for (int i = 0; i < e.length; i++) {
            int d = Math.abs((e[i] & 0xff) - (a[i] & 0xff));
            worst = Math.max(worst, d);
            if (d > tolerance) {
                outside++;
            }
        }
        double fraction = outside / (double) e.length;
        assertTrue(fraction <= allowedOutsideFraction, op + ": " + outside + " of " + e.length
                + " samples differ by more than " + tolerance + " (largest " + worst + ")");
    }
}
