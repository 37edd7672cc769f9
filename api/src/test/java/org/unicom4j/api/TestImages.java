package org.unicom4j.api;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitInitializer;

/** Images and models the api, serve and example tests make for themselves. */
public final class TestImages {
    /** The Fashion-MNIST demo's model shape (examples/fashion-mnist-demo.json). */
    public static final VitConfig DEMO_SHAPE = new VitConfig(28, 1, 7, 64, 4, 4, 256, 128, 0.0);

    private TestImages() {
    }

    /** A {@code width} x {@code height} RGB picture of seeded blobs: different seeds, different pictures. */
    public static BufferedImage picture(long seed, int width, int height) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int base = random.nextInt(0x1000000);
        int cx = random.nextInt(width), cy = random.nextInt(height), r = 2 + random.nextInt(Math.max(3, width / 2));
        int blob = random.nextInt(0x1000000);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
                int noise = random.nextInt(32);
                int c = inside ? blob : base;
                out(image, x, y, c, noise);
            }
        }
        return image;
    }

    private static void out(BufferedImage image, int x, int y, int rgb, int noise) {
        int red = Math.min(255, ((rgb >> 16) & 0xff) + noise);
        int green = Math.min(255, ((rgb >> 8) & 0xff) + noise);
        int blue = Math.min(255, (rgb & 0xff) + noise);
        image.setRGB(x, y, (red << 16) | (green << 8) | blue);
    }

    /** {@link #picture} encoded as PNG. */
    public static byte[] png(long seed, int width, int height) {
        return encode(picture(seed, width, height), "png");
    }

    /** {@code image} encoded in {@code format} ("png", "jpeg", "bmp"). */
    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A model of {@code shape} initialised from scratch with {@code seed}, saved as the trainer saves its models
     * (safetensors with the shape in its {@code vit_config} metadata): what the demo leaves in
     * {@code runs/demo/unicom/model.safetensors}.
     */
    public static Path savedModel(Path file, VitConfig shape, long seed) throws IOException {
        try (CpuBackend backend = new CpuBackend(); VisionTransformer model = new VisionTransformer(backend, shape)) {
            VitInitializer.initializeFromScratch(model, seed);
            SafetensorsWriter.write(file, StateDictIo.toStateDict(model));
        }
        return file;
    }

    /**
     * A PNG of a few dozen bytes whose header declares {@code side} x {@code side} gray pixels (a decompression
     * bomb: a decoder that trusted the header would allocate them all): a 1 x 1 PNG with its IHDR rewritten.
     */
    public static byte[] decompressionBomb(int side) {
        byte[] png = encode(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png");
        ByteBuffer header = ByteBuffer.wrap(png); // signature (8), IHDR length (4) and type (4), then its data
        header.putInt(16, side).putInt(20, side);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13); // the chunk's CRC covers its type and its 13 data bytes
        header.putInt(29, (int) crc.getValue());
        return png;
    }
}
