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
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image files (JPEG, PNG, BMP, GIF: whatever ImageIO reads) to 8-bit {@link PixelImage}s the way Pillow
 * hands them to the reference preprocessing: samples as stored, embedded ICC profiles ignored; grayscale kept as one
 * channel; alpha dropped; CMYK JPEGs converted with Pillow's formula (see {@link CmykToRgb}), which ImageIO's own
 * JPEG reader cannot do. A file that cannot be decoded, or a JPEG that ends early, fails with an
 * {@link IllegalArgumentException} naming the file; a missing file is an {@link IOException}.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    /** Decodes {@code file}. */
    public static PixelImage decode(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "image file not found");
        }
        return decode(bytes, file.toString());
    }

    /** Decodes an encoded image held in memory; {@code name} is used in error messages. */
    public static PixelImage decode(byte[] encoded, String name) {
        try (InputStream in = new ByteArrayInputStream(encoded);
             ImageInputStream iis = new MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(name + ": not a recognised image format (first bytes "
                        + firstBytes(encoded) + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, false);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                PixelImage image = read(reader, name);
                for (String w : warnings) {
                    // Pillow refuses truncated files (ImageFile.LOAD_TRUNCATED_IMAGES is False); so do we.
                    if (isTruncation(w)) {
                        throw new IllegalArgumentException(name + ": truncated image (" + w + ")");
                    }
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith(name + ":")) {
                throw iae;
            }
            throw new IllegalArgumentException(name + ": cannot decode image: " + oneLine(e), e);
        }
    }

    private static PixelImage read(ImageReader reader, String name) throws IOException {
        if (reader.getFormatName().equalsIgnoreCase("jpeg")) {
            JpegLayout layout = JpegLayout.of(reader.getImageMetadata(0));
            if (layout.components() == 4) {
                // ImageIO would colour-manage CMYK through an ICC profile; Pillow does not, so take raw samples.
                Raster raster = reader.readRaster(0, null);
                return CmykToRgb.fromJpegRaster(raster, layout.adobeTransform());
            }
        }
        return toPixels(reader.read(0), name);
    }

    /** Samples as stored for 8-bit gray and RGB rasters; ImageIO's colour conversion for everything else. */
    static PixelImage toPixels(BufferedImage image, String name) {
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
        String w = warning.toLowerCase(java.util.Locale.ROOT);
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
