package org.unicom4j.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.idx.IdxFiles;
import org.unicom4j.data.image.PixelImage;

/** Image/label IDX pairs: small generated ones, and the real Fashion-MNIST. */
class IdxImageDatasetTest {
    @TempDir
    Path dir;

    @Test
    void pairsImagesWithLabels() throws IOException {
        byte[] px = new byte[3 * 2 * 4];
        for (int i = 0; i < px.length; i++) px[i] = (byte) i;
        Path images = IdxFiles.write(dir.resolve("img.gz"), IdxFiles.bytes(0x08, new int[] {3, 2, 4}, px), true);
        Path labels = IdxFiles.write(dir.resolve("lab"), IdxFiles.bytes(0x08, new int[] {3}, new byte[] {2, 0, 1}),
                false);
        IdxImageDataset d = IdxImageDataset.read(images, labels);
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        PixelImage second = d.load(1);
        assertEquals(4, second.width());
        assertEquals(2, second.height());
        assertEquals(1, second.channels());
        assertEquals(8 + 4 + 1, second.get(1, 1, 0));
        assertEquals(images + "#2", d.describe(2));
    }

    @Test
    void countMismatchIsNamed() throws IOException {
        Path images = IdxFiles.write(dir.resolve("img"), IdxFiles.bytes(0x08, new int[] {2, 1, 1}, new byte[2]), false);
        Path labels = IdxFiles.write(dir.resolve("lab"), IdxFiles.bytes(0x08, new int[] {3}, new byte[3]), false);
        var e = assertThrows(FileFormatException.class, () -> IdxImageDataset.read(images, labels));
        assertEquals(labels + ": 3 labels for 2 images in " + images, e.getMessage());
    }

    @Test
    void imagesMustBeRank3() throws IOException {
        Path images = IdxFiles.write(dir.resolve("img"), IdxFiles.bytes(0x08, new int[] {2, 2}, new byte[4]), false);
        Path labels = IdxFiles.write(dir.resolve("lab"), IdxFiles.bytes(0x08, new int[] {2}, new byte[2]), false);
        var e = assertThrows(FileFormatException.class, () -> IdxImageDataset.read(images, labels));
        assertEquals(images + ": IDX images are UNSIGNED_BYTE [2, 2]; expected UNSIGNED_BYTE [n, rows, cols]",
                e.getMessage());
    }

    @Test
    void fashionMnistAsInstalled() throws IOException {
        // Reference values from numpy on the same files: counts, first labels, pixel sums.
        IdxImageDataset train = IdxImageDataset.read(FashionMnist.file("train-images-idx3-ubyte.gz"),
                FashionMnist.file("train-labels-idx1-ubyte.gz"));
        IdxImageDataset test = IdxImageDataset.read(FashionMnist.file("t10k-images-idx3-ubyte.gz"),
                FashionMnist.file("t10k-labels-idx1-ubyte.gz"));
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertEquals(10, train.classCount());
        assertEquals(28, train.imageWidth());
        assertEquals(28, train.imageHeight());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0}, java.util.Arrays.copyOf(train.labels(), 5));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, java.util.Arrays.copyOf(test.labels(), 5));
        int[] perClass = new int[10];
        for (int l : train.labels()) perClass[l]++;
        for (int c : perClass) assertEquals(6000, c);
        assertEquals(76247, sum(train.load(0)));
        assertEquals(33456, sum(test.load(0)));
    }

    private static long sum(PixelImage p) {
        long s = 0;
        for (byte b : p.pixels()) s += b & 0xff;
        return s;
    }
}
