package org.unicom4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.unicom4j.cli.demo.FashionMnistFiles;
import org.unicom4j.data.idx.IdxArray;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.embeddings.EmbeddingManifest;
import org.unicom4j.retrieval.embeddings.ManifestEntry;

/** The Fashion-MNIST test split as the integration tests use it (skipped where it is not installed, not in CI). */
public final class FashionMnistTestData {
    private FashionMnistTestData() {
    }

    public static Path images() {
        return require().resolve("t10k-images-idx3-ubyte.gz");
    }

    public static Path labels() {
        return require().resolve("t10k-labels-idx1-ubyte.gz");
    }

    private static Path require() {
        Path dir = FashionMnistFiles.DEBIAN_DIR;
        if (!Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz"))) {
            String reason = "Fashion-MNIST not installed at " + dir;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason + " (CI installs dataset-fashion-mnist)");
            }
            Assumptions.abort(reason);
        }
        return dir;
    }

    /** The first {@code n} test images' raw pixels (/255) as [n, 784] float rows, in a {@code .npy}. */
    public static Path pixelRows(Path file, int n) throws IOException {
        byte[] data = IdxArray.read(images()).data();
        float[] rows = new float[n * 784];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (data[i] & 0xff) / 255f;
        }
        NpyArray.ofFloats(rows, n, 784).write(file);
        return file;
    }

    /** The first {@code n} test labels. */
    public static int[] labels(int n) throws IOException {
        return Arrays.copyOf(IdxArray.read(labels()).toInts(), n);
    }

    /** Raw pixels as an embed output folder (embeddings.npy + manifest.csv): the classic baseline. */
    public static Path pixelEmbeddings(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        pixelRows(dir.resolve("embeddings.npy"), n);
        int[] labels = labels(n);
        List<ManifestEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(new ManifestEntry(i, images().toAbsolutePath() + "#" + i, labels[i], "" + labels[i], "test"));
        }
        EmbeddingManifest.write(dir.resolve("manifest.csv"), entries);
        return dir;
    }
}
