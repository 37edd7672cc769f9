package org.unicom4j.cli.search;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.unicom4j.data.image.PixelImage;

/** Small PNG pictures of images as {@code data:} URIs, so the results page needs no other file. */
final class Thumbnails {
    private Thumbnails() {
    }

    /** {@code image} scaled to fit a {@code size} x {@code size} box (aspect kept), as a PNG data URI. */
    static String dataUri(PixelImage image, int size) {
        double scale = (double) size / Math.max(image.width(), image.height());
        int w = Math.max(1, (int) Math.round(image.width() * scale));
        int h = Math.max(1, (int) Math.round(image.height() * scale));
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        // Small images (28 px IDX digits) are enlarged with visible pixels; photos are reduced smoothly.
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, scale > 1
                ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image.toBufferedImage(), 0, 0, w, h, null);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(scaled, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a thumbnail: " + e.getMessage(), e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }
}
