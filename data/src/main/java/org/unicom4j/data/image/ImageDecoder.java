package org.unicom4j.data.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image files (JPEG, PNG, BMP, GIF: whatever ImageIO reads) to 8-bit {@link PixelImage}s the way Pillow
 * hands them to the reference preprocessing: samples as stored, embedded ICC profiles ignored; grayscale kept as one
 * channel; alpha dropped; CMYK JPEGs converted with Pillow's formula (see {@link CmykToRgb}), which ImageIO's own
 * JPEG reader cannot do.
 *
 * <p>The width and height are read from the header first, and an image of more than {@code maxPixels} pixels is
 * refused before any pixel is decoded: a small file can declare a huge image (a "decompression bomb": a 1.5 MB PNG of
 * 40000 x 40000 takes 20 s and gigabytes to decode). The default limit is Pillow's {@code Image.MAX_IMAGE_PIXELS}.
 *
 * <p>A file that cannot be decoded, a JPEG that ends early, or one above the limit fails with an
 * {@link InvalidImageException} naming the file; a missing or unreadable file is an {@link IOException}.
 */
public final class ImageDecoder {
    /**
     * Pillow's {@code Image.MAX_IMAGE_PIXELS}, {@code int(1024 * 1024 * 1024 // 4 // 3)} = 89,478,485 (a quarter GiB
     * of 24-bit RGB; PIL/Image.py). Pillow warns above it and refuses above twice it; we refuse above it.
     */
    public static final long DEFAULT_MAX_PIXELS = 1024L * 1024 * 1024 / 4 / 3;

    private ImageDecoder() {
    }

    /** Decodes {@code file}, refusing images of more than {@link #DEFAULT_MAX_PIXELS} pixels. */
    public static PixelImage decode(Path file) throws IOException {
        return decode(file, DEFAULT_MAX_PIXELS);
    }

    /** Decodes {@code file}, refusing images of more than {@code maxPixels} pixels before decoding them. */
    public static PixelImage decode(Path file, long maxPixels) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "image file not found");
        }
        return decode(bytes, file.toString(), maxPixels);
    }

    /** Decodes an encoded image held in memory with the default pixel limit; {@code name} is used in errors. */
    public static PixelImage decode(byte[] encoded, String name) {
        return decode(encoded, name, DEFAULT_MAX_PIXELS);
    }

    /** Decodes an encoded image held in memory; {@code name} is used in error messages. */
    public static PixelImage decode(byte[] encoded, String name, long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels " + maxPixels + " must be positive");
        }
        try (InputStream in = new ByteArrayInputStream(encoded);
             ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new InvalidImageException(name, "not a recognised image format (first bytes "
                        + firstBytes(encoded) + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, false);
                checkSize(reader, name, maxPixels);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                PixelImage image = read(reader);
                for (String w : warnings) {
                    // Pillow refuses truncated files (ImageFile.LOAD_TRUNCATED_IMAGES is False); so do we.
                    if (isTruncation(w)) {
                        throw new InvalidImageException(name, "truncated image (" + w + ")");
                    }
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO's plugins fail on corrupt data with IOExceptions and assorted runtime exceptions alike.
            throw new InvalidImageException(name, "cannot decode image: " + oneLine(e), e);
        }
    }

    /** Reads only the header's width and height, and refuses the image if they multiply to more than the limit. */
    private static void checkSize(ImageReader reader, String name, long maxPixels) throws IOException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new InvalidImageException(name, String.format(Locale.ROOT, "%d x %d = %,d pixels, more than the "
                    + "limit of %,d; not decoded (a decompression bomb? raise the max-image-pixels limit if the "
                    + "image is genuine)", width, height, pixels, maxPixels));
        }
    }

    private static PixelImage read(ImageReader reader) throws IOException {
        if (reader.getFormatName().equalsIgnoreCase("jpeg")) {
            JpegLayout layout = JpegLayout.of(reader.getImageMetadata(0));
            if (layout.components() == 4) {
                // ImageIO would colour-manage CMYK through an ICC profile; Pillow does not, so take raw samples.
                Raster raster = reader.readRaster(0, null);
                return CmykToRgb.fromJpegRaster(raster, layout.adobeTransform());
            }
        }
        return toPixels(reader.read(0));
    }

    /**
     * An image already in memory as this decoder would hand it over: samples as stored for 8-bit gray and RGB
     * rasters, ImageIO's colour conversion for everything else. The caller applies any pixel limit.
     */
    public static PixelImage toPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int spaceType = cm.getColorSpace().getType();
        boolean eightBit = allSampleSizes(raster, 8);
        boolean indexed = cm instanceof java.awt.image.IndexColorModel;
        if (!indexed && spaceType == ColorSpace.TYPE_GRAY && (bands == 1 || bands == 2)) {
            byte[] out = new byte[w * h];
            int shift = raster.getSampleModel().getSampleSize(0) - 8;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) (shift >= 0 ? row[x] >>> shift : row[x] * 255 / ((1 << (8 + shift)) - 1));
                }
            }
            return new PixelImage(w, h, 1, out);
        }
        byte[] out = new byte[w * h * 3];
        if (!indexed && spaceType == ColorSpace.TYPE_RGB && eightBit && bands >= 3) {
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (byte) row[x * bands];
                    out[o + 1] = (byte) row[x * bands + 1];
                    out[o + 2] = (byte) row[x * bands + 2];
                }
            }
            return new PixelImage(w, h, 3, out);
        }
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                out[o] = (byte) (argb[x] >> 16);
                out[o + 1] = (byte) (argb[x] >> 8);
                out[o + 2] = (byte) argb[x];
            }
        }
        return new PixelImage(w, h, 3, out);
    }

    /** JDK and libjpeg wordings of "the data ended early" (other libjpeg warnings are harmless, as in Pillow). */
    private static boolean isTruncation(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncated file");
    }

    private static boolean allSampleSizes(Raster raster, int bits) {
        for (int s : raster.getSampleModel().getSampleSize()) {
            if (s != bits) {
                return false;
            }
        }
        return true;
    }

    private static String firstBytes(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            s.append(String.format("%02x", bytes[i] & 0xff));
        }
        return s.isEmpty() ? "none: empty file" : s.toString();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
