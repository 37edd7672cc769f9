package org.unicom4j.api;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.unicom4j.data.image.PixelImage;

/** Small PNG pictures of images: stored beside index entries, served by id, or inlined in a page as data URIs. */
public final class Thumbnails {
    private Thumbnails() {
    }

    /**
     * {@code image} scaled to fit a {@code size} x {@code size} box (aspect kept), as PNG bytes: small images (28 px
     * IDX items) are enlarged with visible pixels, photos are reduced smoothly.
     */
    public static byte[] png(PixelImage image, int size) {
        double scale = (double) size / Math.max(image.width(), image.height());
        int w = Math.max(1, (int) Math.round(image.width() * scale));
        int h = Math.max(1, (int) Math.round(image.height() * scale));
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
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
        return png.toByteArray();
    }

    /** {@code image} reduced to fit a {@code size} box when larger, else at its own size, as PNG bytes. */
    public static byte[] pngAtMost(PixelImage image, int size) {
        return png(image, Math.min(size, Math.max(image.width(), image.height())));
    }

    /** {@link #png} as a {@code data:image/png;base64,...} URI. */
    public static String dataUri(PixelImage image, int size) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(image, size));
    }
}
