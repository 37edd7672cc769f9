package org.unicom4j.training.run;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Writes small IDX image/label pairs (MNIST's format: big-endian magic 0x0803/0x0801, dims, unsigned bytes). */
final class IdxFiles {
    private IdxFiles() {
    }

    /** The runs' data: 72 training images and 40 eval images of 8x8 in 4 classes (train-*.idx, eval-*.idx). */
    static void writeTrainAndEval(Path dir) throws IOException {
        write(dir, "train", 72, 8, 4, 1);
        write(dir, "eval", 40, 8, 4, 2);
    }

    /**
     * {@code count} random size x size images whose brightness pattern depends on the label ({@code classes}
     * classes), so there is something to learn; written as {@code prefix}-images.idx and {@code prefix}-labels.idx.
     */
    static void write(Path dir, String prefix, int count, int size, int classes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] images = new byte[count * size * size];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(classes);
            labels[i] = (byte) label;
            for (int p = 0; p < size * size; p++) {
                int base = (p % classes == label) ? 200 : 40;
                images[i * size * size + p] = (byte) Math.min(255, base + random.nextInt(40));
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images.idx")))) {
            out.writeInt(0x0803);
            out.writeInt(count);
            out.writeInt(size);
            out.writeInt(size);
            out.write(images);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels.idx")))) {
            out.writeInt(0x0801);
            out.writeInt(count);
            out.write(labels);
        }
    }
}
