package org.unicom4j.retrieval.codeindex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.index.ProductQuantizer;

/**
 * Product-quantisation codebooks as a float {@code .npy} of shape [M, K, sub-dimension] (1 &lt;= K &lt;= 256), e.g.
 * exported from a model; a file of another shape is a {@link FileFormatException} naming it.
 */
public final class CodebookFile {
    private CodebookFile() {
    }

    /**
     * Reads the codebooks; {@code expectedDim} (M x sub-dimension, the embedding size they quantise) is checked when
     * positive.
     */
    public static ProductQuantizer read(Path file, int expectedDim) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": codebook file not found");
        }
        NpyArray a = NpyArray.read(file);
        long[] shape = a.shape();
        if (shape.length != 3 || !a.dtype().isFloatingPoint() || shape[0] < 1 || shape[1] < 1 || shape[1] > 256
                || shape[2] < 1) {
            throw new FileFormatException(file + ": codebooks of shape " + Arrays.toString(shape) + " and dtype "
                    + a.dtype().descr() + "; expected float [M, K, sub-dim] with 1 <= K <= 256");
        }
        int m = (int) shape[0], k = (int) shape[1], subDim = (int) shape[2];
        if (expectedDim > 0 && (long) m * subDim != expectedDim) {
            throw new InvalidInputException(file + ": codebooks of shape " + Arrays.toString(shape) + " quantise "
                    + (long) m * subDim + "-d vectors, expected " + expectedDim + "-d");
        }
        float[] all = a.toFloats();
        float[][] books = new float[m][];
        for (int s = 0; s < m; s++) {
            books[s] = Arrays.copyOfRange(all, s * k * subDim, (s + 1) * k * subDim);
        }
        return ProductQuantizer.fromCodebooks(books, subDim);
    }

    /** Writes {@code pq}'s codebooks as float32 [M, K, sub-dim] (atomically). */
    public static void write(Path file, ProductQuantizer pq) throws IOException {
        int m = pq.subspaces(), k = pq.centroids(), subDim = pq.dim() / m;
        float[] all = new float[m * k * subDim];
        for (int s = 0; s < m; s++) {
            System.arraycopy(pq.codebook(s).data(), 0, all, s * k * subDim, k * subDim);
        }
        NpyArray.ofFloats(all, m, k, subDim).write(file);
    }
}
