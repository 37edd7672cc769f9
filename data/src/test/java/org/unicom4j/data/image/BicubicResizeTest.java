package org.unicom4j.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.unicom4j.data.image.PillowReference.assertClose;
import static org.unicom4j.data.image.PillowReference.decode;
import static org.unicom4j.data.image.PillowReference.expected;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Pillow 9.4 {@code resize(..., BICUBIC)} outputs, matched bit for bit. */
class BicubicResizeTest {

    @Test
    void upscalesAsPillow() throws IOException {
        assertClose(expected("small_resize_53x29.npy"), BicubicResize.resize(decode("small.png"), 53, 29), 0);
    }

    @Test
    void mixedUpAndDownAsPillow() throws IOException {
        assertClose(expected("small_resize_7x13.npy"), BicubicResize.resize(decode("small.png"), 7, 13), 0);
    }

    @Test
    void strongDownscaleIsAntialiasedAsPillow() throws IOException {
        // 97x203 -> 16x33: support grows to 2 * 6 input pixels per side.
        PixelImage out = ShorterSideResize.resize(decode("tall.png"), 16);
        assertEquals(16, out.width());
        assertEquals(33, out.height());
        assertClose(expected("tall_resize_shorter16.npy"), out, 0);
    }

    @Test
    void grayAsPillow() throws IOException {
        assertClose(expected("gray_resize_shorter12.npy"), ShorterSideResize.resize(decode("gray.png"), 12), 0);
    }

    @Test
    void sameSizeIsIdentity() throws IOException {
        PixelImage p = decode("small.png");
        assertSame(p, BicubicResize.resize(p, p.width(), p.height()));
    }

    @Test
    void constantImageStaysConstant() {
        PixelImage flat = new PixelImage(5, 3, 1, new byte[] {
            (byte) 200, (byte) 200, (byte) 200, (byte) 200, (byte) 200,
            (byte) 200, (byte) 200, (byte) 200, (byte) 200, (byte) 200,
            (byte) 200, (byte) 200, (byte) 200, (byte) 200, (byte) 200});
        byte[] expected = new byte[17 * 2];
        java.util.Arrays.fill(expected, (byte) 200);
        assertArrayEquals(expected, BicubicResize.resize(flat, 17, 2).pixels());
    }

    @Test
    void kernelHasTheKeysShape() {
        // Keys' cubic with a = -0.5: 1 at 0, 0 at the integers, -0.0625 at 1.5 and 0.5625 at 0.5.
        assertEquals(1.0, BicubicResize.cubic(0));
        assertEquals(0.0, BicubicResize.cubic(1), 0.0);
        assertEquals(0.0, BicubicResize.cubic(2), 0.0);
        assertEquals(0.5625, BicubicResize.cubic(0.5));
        assertEquals(-0.0625, BicubicResize.cubic(-1.5));
    }

    @Test
    void shorterSideSizesFollowTorchvision() {
        assertArrayEquals(new int[] {224, 298}, ShorterSideResize.outputSize(480, 640, 224));
        assertArrayEquals(new int[] {298, 224}, ShorterSideResize.outputSize(640, 480, 224));
        assertArrayEquals(new int[] {41, 32}, ShorterSideResize.outputSize(61, 47, 32));
        assertArrayEquals(new int[] {224, 224}, ShorterSideResize.outputSize(500, 500, 224));
        assertArrayEquals(new int[] {336, 1344}, ShorterSideResize.outputSize(10, 40, 336));
    }
}
