package org.unicom4j.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.unicom4j.data.io.AtomicFile;

/** Writes report files atomically, so an interrupted run leaves no half-written file. */
public final class OutputFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OutputFiles() {
    }

    public static void writeJson(Path file, Object value) throws IOException {
        writeBytes(file, JSON.writeValueAsBytes(value));
    }

    public static void writeText(Path file, String text) throws IOException {
        writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void writePng(Path file, BufferedImage image) throws IOException {
        createParent(file);
        AtomicFile.write(file, channel -> {
            OutputStream out = Channels.newOutputStream(channel);
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available for " + file);
            }
            out.flush();
        });
    }

    private static void writeBytes(Path file, byte[] bytes) throws IOException {
        createParent(file);
        AtomicFile.write(file, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    private static void createParent(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
    }
}
