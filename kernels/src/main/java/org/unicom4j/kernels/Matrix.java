package org.unicom4j.kernels;

/**
 * A rows x cols matrix operand in a float buffer: stored row-major with {@code ld} elements from one stored row
 * to the next, either as itself or, when {@code transposed}, as its cols x rows transpose (the BLAS "op").
 * A view holds no memory and may be made once at setup and reused for every call; {@link #transpose()} makes
 * another view of the same storage.
 *
 * @param data       the buffer the stored matrix starts at
 * @param rows       rows of the operand
 * @param cols       columns of the operand
 * @param ld         leading dimension of the stored matrix, at least its number of columns
 * @param transposed whether the stored matrix is the operand's transpose
 */
public record Matrix(DeviceFloats data, int rows, int cols, int ld, boolean transposed) {

    public Matrix {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix: rows and cols must be >= 0, got " + rows + " x " + cols);
        }
        int storedCols = transposed ? rows : cols;
        if (ld < Math.max(1, storedCols)) {
            throw new IllegalArgumentException("matrix: ld = " + ld + " is below the stored row length "
                    + storedCols);
        }
    }

    /** A contiguous rows x cols row-major matrix at the start of {@code data}. */
    public static Matrix of(DeviceFloats data, int rows, int cols) {
        return new Matrix(data, rows, cols, Math.max(1, cols), false);
    }

    /** A rows x cols row-major matrix whose rows lie {@code ld} elements apart. */
    public static Matrix of(DeviceFloats data, int rows, int cols, int ld) {
        return new Matrix(data, rows, cols, ld, false);
    }

    /** The transpose, a view of the same storage. */
    public Matrix transpose() {
        return new Matrix(data, cols, rows, ld, !transposed);
    }

    /** Rows of the matrix as stored (cols when transposed). */
    public int storedRows() {
        return transposed ? cols : rows;
    }

    /** Columns of the matrix as stored (rows when transposed). */
    public int storedCols() {
        return transposed ? rows : cols;
    }
}
