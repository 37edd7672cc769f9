package org.unicom4j.retrieval.kmeans;

import java.io.IOException;
import java.nio.file.Path;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyRowReader;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.PointSource;

/**
 * Unicom's joint feature of an image-text pair (spec section 4): the mean of the pair's image and text CLIP
 * embeddings, L2-normalised ({@link L2Norm}). Both come from {@code .npy} shards of the same shape
 * (LAION ships them as float16 [pairs, dim], row i of each belonging to pair i) and are streamed.
 */
public final class JointImageTextPoints implements PointSource, AutoCloseable {
    private final NpyRowReader image;
    private final NpyRowReader text;
    private float[] textRows = new float[0];

    private JointImageTextPoints(NpyRowReader image, NpyRowReader text) {
        this.image = image;
        this.text = text;
    }

    public static JointImageTextPoints open(Path imageFile, Path textFile) throws IOException {
        NpyRowReader image = NpyRowReader.open(imageFile);
        NpyRowReader text = null;
        try {
            text = NpyRowReader.open(textFile);
            NpyPoints.requireFeatureMatrix(imageFile, image);
            NpyPoints.requireFeatureMatrix(textFile, text);
            if (image.rows() != text.rows() || image.rowLength() != text.rowLength()) {
                throw new InvalidInputException(textFile + ": text features [" + text.rows() + ", "
                        + text.rowLength() + "] do not pair with image features [" + image.rows() + ", "
                        + image.rowLength() + "] of " + imageFile + "; expected the same shape");
            }
            return new JointImageTextPoints(image, text);
        } catch (IOException | RuntimeException e) {
            image.close();
            if (text != null) {
                text.close();
            }
            throw e;
        }
    }

    @Override
    public long size() {
        return image.rows();
    }

    @Override
    public int dim() {
        return image.rowLength();
    }

    /** Not thread-safe: reuses one buffer for the text rows. */
    @Override
    public void read(long first, int count, float[] dst) {
        int d = dim(), n = count * d;
        if (textRows.length < n) {
            textRows = new float[n];
        }
        image.readRows(first, count, dst, 0);
        text.readRows(first, count, textRows, 0);
        for (int j = 0; j < n; j++) {
            dst[j] = (dst[j] + textRows[j]) * 0.5f;
        }
        L2Norm.normalizeRows(dst, count, d);
    }

    @Override
    public void close() {
        image.close();
        text.close();
    }
}
