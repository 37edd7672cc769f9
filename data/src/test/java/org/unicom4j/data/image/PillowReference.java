package org.unicom4j.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.data.TestFiles;
import org.unicom4j.data.npy.NpyArray;

/** Loads the fixtures of data/src/test/python/make_image_fixtures.py and compares against Pillow's outputs. */
final class PillowReference {
    private PillowReference() {
    }

    static Path file(String name) {
        return TestFiles.resource("image/" + name);
    }

    static PixelImage decode(String name) throws IOException {
        return ImageDecoder.decode(file(name));
    }

    /** A uint8 (H, W, C) array saved by the fixture script, as a PixelImage. */
    static PixelImage expected(String npyName) throws IOException {
        NpyArray a = NpyArray.read(file(npyName));
        long[] s = a.shape();
        return new PixelImage((int) s[1], (int) s[0], (int) s[2], a.toBytes());
    }

    /** Equal sizes and every sample within {@code tolerance} levels. */
    static void assertClose(PixelImage expected, PixelImage actual, int tolerance) {
        assertEquals(expected.width(), actual.width(), "width");
        assertEquals(expected.height(), actual.height(), "height");
        assertEquals(expected.channels(), actual.channels(), "channels");
        if (tolerance == 0) {
            assertArrayEquals(expected.pixels(), actual.pixels());
            return;
        }
        int worst = 0;
        for (int i = 0; i < expected.pixels().length; i++) {
            worst = Math.max(worst, Math.abs((expected.pixels()[i] & 0xff) - (actual.pixels()[i] & 0xff)));
        }
        assertEquals(true, worst <= tolerance, "largest difference " + worst + " > " + tolerance);
    }
}
