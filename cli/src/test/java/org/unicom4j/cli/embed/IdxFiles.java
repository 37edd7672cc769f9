package org.unicom4j.cli.embed;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small uncompressed IDX files (the MNIST format: magic, big-endian dims, unsigned bytes). */
public final class IdxFiles {
    private IdxFiles() {
    }

    /** Images [n, rows, cols] as unsigned bytes, magic 0x00000803. */
    public static void writeImages(Path file, byte[] pixels, int n, int rows, int cols) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        }
    }

    /** Labels [n] as unsigned bytes, magic 0x00000801. */
    public static void writeLabels(Path file, byte[] labels) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(0x00000801);
            out.writeInt(labels.length);
            out.write(labels);
        }
    }
}
