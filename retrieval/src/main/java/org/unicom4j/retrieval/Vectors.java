package org.unicom4j.retrieval;

import java.util.Arrays;

/**
 * Rows of float vectors held in one row-major array: row i is {@code data[i * dim .. (i + 1) * dim)}.
 *
 * @param data the values (not copied)
 * @param rows number of vectors
 * @param dim  floats per vector
 */
public record Vectors(float[] data, int rows, int dim) implements PointSource {

    public Vectors {
        if (rows < 0 || dim <= 0) {
            throw new IllegalArgumentException("vectors: rows = " + rows + ", dim = " + dim
                    + "; expected rows >= 0 and dim > 0");
        }
        if ((long) rows * dim != data.length) {
            throw new IllegalArgumentException("vectors: " + data.length + " floats do not hold [" + rows + " x "
                    + dim + "] = " + (long) rows * dim);
        }
    }

    /** Wraps {@code data} as rows of {@code dim} floats; its length must be a multiple of dim. */
    public static Vectors of(float[] data, int dim) {
        if (dim <= 0 || data.length % dim != 0) {
            throw new IllegalArgumentException("vectors: " + data.length + " floats are not whole rows of dim "
                    + dim);
        }
        return new Vectors(data, data.length / dim, dim);
    }

    /** A copy of row i. */
    public float[] row(int i) {
        return Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
    }

    @Override
    public long size() {
        return rows;
    }

    @Override
    public void read(long first, int count, float[] dst) {
        if (first < 0 || count < 0 || first + count > rows) {
            throw new IndexOutOfBoundsException("vectors: rows [" + first + ", " + (first + count)
                    + ") out of range [0, " + rows + ")");
        }
        System.arraycopy(data, (int) first * dim, dst, 0, count * dim);
    }
}
