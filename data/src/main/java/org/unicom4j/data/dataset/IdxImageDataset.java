package org.unicom4j.data.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.idx.IdxArray;
import org.unicom4j.data.idx.IdxType;
import org.unicom4j.data.image.PixelImage;

/**
 * An IDX image file ([n, rows, cols] unsigned bytes) paired with an IDX label file ([n] unsigned bytes), as MNIST
 * and Fashion-MNIST ship; held in memory (Fashion-MNIST train is 47 MB). Images are one-channel.
 */
public final class IdxImageDataset implements ImageDataset {
    private final IdxArray images;
    private final byte[] labels;
    private final List<String> classNames;
    private final int rows;
    private final int cols;

    private IdxImageDataset(IdxArray images, IdxArray labels) {
        int[] d = images.dims();
        int[] l = labels.dims();
        if (images.type() != IdxType.UNSIGNED_BYTE || d.length != 3) {
            throw new FileFormatException(images.file() + ": IDX images are " + images.type() + " "
                    + Arrays.toString(d) + "; expected UNSIGNED_BYTE [n, rows, cols]");
        }
        if (labels.type() != IdxType.UNSIGNED_BYTE || l.length != 1) {
            throw new FileFormatException(labels.file() + ": IDX labels are " + labels.type() + " "
                    + Arrays.toString(l) + "; expected UNSIGNED_BYTE [n]");
        }
        if (d[0] != l[0]) {
            throw new FileFormatException(labels.file() + ": " + l[0] + " labels for " + d[0] + " images in "
                    + images.file());
        }
        if (d[1] == 0 || d[2] == 0) {
            throw new FileFormatException(images.file() + ": empty image size " + d[1] + "x" + d[2]);
        }
        this.images = images;
        this.labels = labels.data();
        this.rows = d[1];
        this.cols = d[2];
        int max = -1;
        for (byte b : this.labels) {
            max = Math.max(max, b & 0xff);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c <= max; c++) {
            names.add(Integer.toString(c));
        }
        this.classNames = List.copyOf(names);
    }

    /** Reads an image file and its label file (either may be gzipped). */
    public static IdxImageDataset read(Path imageFile, Path labelFile) throws IOException {
        return new IdxImageDataset(IdxArray.read(imageFile), IdxArray.read(labelFile));
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index] & 0xff;
    }

    @Override
    public String describe(int index) {
        return images.file() + "#" + index;
    }

    @Override
    public PixelImage load(int index) {
        int n = rows * cols;
        byte[] px = Arrays.copyOfRange(images.data(), index * n, (index + 1) * n);
        return new PixelImage(cols, rows, 1, px);
    }

    /** Class names "0" .. max label. */
    @Override
    public List<String> classNames() {
        return classNames;
    }

    public int imageHeight() {
        return rows;
    }

    public int imageWidth() {
        return cols;
    }
}
