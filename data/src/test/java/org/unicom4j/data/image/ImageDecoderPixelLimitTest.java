package org.unicom4j.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pixel limit is checked from the header, before decoding: a decompression bomb is refused without allocating
 * its pixels, and the limit is inclusive.
 */
class ImageDecoderPixelLimitTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultIsPillowsMaxImagePixels() {
        assertEquals(89_478_485L, ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderWithoutAllocatingItsPixels() throws IOException {
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, bombPng(40_000, 40_000));
        assertTrue(Files.size(bomb) < 4096, "a small file declaring 1.6 G pixels");
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        var e = assertThrows(InvalidImageException.class, () -> ImageDecoder.decode(bomb));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(bomb + ": 40000 x 40000 = 1,600,000,000 pixels, more than the limit of 89,478,485; not decoded "
                + "(a decompression bomb? raise the max-image-pixels limit if the image is genuine)", e.getMessage());
        assertNull(e.getCause(), "refused by the size check, not by a failed decode");
        // decoding would need a 1.6 GB raster (gray, 8 bits); the header check reads a few kilobytes
        assertTrue(allocated < 64L << 20, () -> allocated + " bytes allocated while refusing the bomb");
    }

    @Test
    void theLimitIsInclusive() throws IOException {
        Path png = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(9, 7, BufferedImage.TYPE_3BYTE_BGR), "png", png.toFile());
        assertEquals(9, ImageDecoder.decode(png, 63).width());
        var e = assertThrows(InvalidImageException.class, () -> ImageDecoder.decode(png, 62));
        assertEquals("9 x 7 = 63 pixels, more than the limit of 62; not decoded (a decompression bomb? raise the "
                + "max-image-pixels limit if the image is genuine)", e.reason());
    }

    /**
     * A grayscale 8-bit PNG declaring {@code width x height} pixels. A real bomb's IDAT holds the whole deflated
     * image (40000 x 40000 of zeros is about 1.5 MB); this one holds only the first rows, which is all a decoder that
     * checks the header first ever reads.
     */
    static byte[] bombPng(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0}); // bit depth 8, colour type 0 (gray), deflate, adaptive filters, no interlace
        chunk(png, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            z.write(new byte[4 * (1 + width)]); // four rows: filter byte 0 and zero samples
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
