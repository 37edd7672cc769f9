package org.unicom4j.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.data.image.PillowReference.assertClose;
import static org.unicom4j.data.image.PillowReference.decode;
import static org.unicom4j.data.image.PillowReference.expected;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoded pixels against Pillow's {@code Image.open(f).convert(mode)} on the same files. */
class ImageDecoderTest {
    @TempDir
    Path dir;

    @Test
    void pngIsLosslessAndMatchesExactly() throws IOException {
        PixelImage png = decode("photo.png");
        assertEquals(61, png.width());
        assertEquals(47, png.height());
        assertEquals(3, png.channels());
        // photo_jpg_decoded is a different file; compare the PNG through a lossless path: Pillow's crop of it.
        assertClose(expected("photo_resize32_crop32.npy"),
                CenterCrop.crop(ShorterSideResize.resize(png, 32), 32, 32), 0);
    }

    @Test
    void jpegMatchesPillowsDecoder() throws IOException {
        // Both libjpeg-based decoders use the same integer IDCT and fancy upsampling: identical here.
        assertClose(expected("photo_jpg_decoded.npy"), decode("photo.jpg"), 0);
    }

    @Test
    void progressiveAndUnsubsampledJpegsMatchPillow() throws IOException {
        assertClose(expected("photo_progressive_decoded.npy"), decode("photo_progressive.jpg"), 0);
        assertClose(expected("photo_444_decoded.npy"), decode("photo_444.jpg"), 0);
    }

    @Test
    void grayscaleStaysOneChannel() throws IOException {
        PixelImage png = decode("gray.png");
        assertEquals(1, png.channels());
        assertClose(expected("gray_jpg_decoded.npy"), decode("gray.jpg"), 0);
    }

    @Test
    void cmykJpegIsConvertedAsPillowDoes() throws IOException {
        assertClose(expected("cmyk_decoded.npy"), decode("cmyk.jpg"), 0);
    }

    @Test
    void ycckJpegIsConvertedAsPillowDoes() throws IOException {
        assertClose(expected("ycck_decoded.npy"), decode("ycck.jpg"), 0);
    }

    @Test
    void paletteImageGetsItsColours() throws IOException {
        assertClose(expected("palette_decoded.npy"), decode("palette.png"), 0);
    }

    @Test
    void alphaIsDropped() throws IOException {
        PixelImage rgba = decode("rgba.png");
        assertEquals(3, rgba.channels());
        assertClose(decode("photo.png"), rgba, 0);
    }

    @Test
    void grayConversionUsesPillowsLuma() throws IOException {
        assertClose(expected("photo_as_gray.npy"), decode("photo.png").toGray(), 0);
    }

    @Test
    void truncatedJpegIsRejected() throws IOException {
        byte[] jpg = Files.readAllBytes(PillowReference.file("photo.jpg"));
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(jpg, jpg.length / 2));
        var e = assertThrows(InvalidImageException.class, () -> ImageDecoder.decode(cut));
        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void garbageAndEmptyFilesAreRejected() throws IOException {
        Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "not an image at all");
        var e = assertThrows(InvalidImageException.class, () -> ImageDecoder.decode(text));
        assertEquals(text + ": not a recognised image format (first bytes 6e6f7420616e2069)", e.getMessage());
        assertEquals("not a recognised image format (first bytes 6e6f7420616e2069)", e.reason());
        Path empty = dir.resolve("empty.png");
        Files.write(empty, new byte[0]);
        var e2 = assertThrows(InvalidImageException.class, () -> ImageDecoder.decode(empty));
        assertTrue(e2.getMessage().startsWith(empty + ": "), e2.getMessage());
    }

    @Test
    void missingFileIsAnIoError() {
        assertThrows(NoSuchFileException.class, () -> ImageDecoder.decode(dir.resolve("absent.png")));
    }
}
