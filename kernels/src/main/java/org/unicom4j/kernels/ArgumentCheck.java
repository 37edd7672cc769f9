package org.unicom4j.kernels;

/**
 * The argument checks every kernel facade runs before it touches memory, so that a bad call fails with one
 * message naming the kernel, the argument, the size seen and the size expected. A check that passes allocates
 * nothing: message text is built only on failure (the training step's zero-allocation promise covers the checks).
 */
final class ArgumentCheck {
    private ArgumentCheck() {
    }

    static void positive(String kernel, String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(kernel + ": " + name + " must be > 0, got " + value);
        }
    }

    static void nonNegative(String kernel, String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(kernel + ": " + name + " must be >= 0, got " + value);
        }
    }

    /** A finite value above zero (a temperature, a scale); NaN fails too. */
    static void positive(String kernel, String name, float value) {
        if (!(value > 0 && value < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(kernel + ": " + name + " must be finite and > 0, got " + value);
        }
    }

    /** How the expected size is described in a message. */
    enum Shape { ANY, VECTOR, MATRIX }

    /** The buffer is open, belongs to {@code owner} and holds at least {@code needed} elements. */
    static void buffer(Backend owner, String kernel, String name, DeviceBuffer buffer, long needed, Shape shape) {
        buffer(owner, kernel, name, buffer, needed, shape, 1, needed, 1);
    }

    /** As above, for a (batch of) rows x cols matrices. */
    static void buffer(Backend owner, String kernel, String name, DeviceBuffer buffer, long needed, Shape shape,
                       int batch, long rows, long cols) {
        if (buffer == null) {
            throw new IllegalArgumentException(kernel + ": " + name + " is null, expected "
                    + describe(shape, batch, rows, cols, needed));
        }
        if (buffer.isClosed()) {
            throw new IllegalStateException(kernel + ": " + name + " has been closed");
        }
        if (buffer.backend() != owner) {
            // Name both: the two may be different instances of the same kind of backend.
            throw new IllegalArgumentException(kernel + ": " + name + " belongs to another backend instance ('"
                    + buffer.backend().name() + "'), not to this '" + owner.name() + "' backend");
        }
        if (buffer.length() < needed) {
            throw new IllegalArgumentException(kernel + ": " + name + " has " + buffer.length()
                    + " elements, expected at least " + needed + " for shape " + describe(shape, batch, rows, cols,
                    needed));
        }
    }

    /** A rows x cols row-major matrix stored contiguously in {@code buf}. */
    static void matrix(Backend owner, String kernel, String name, DeviceBuffer buf, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            nonNegative(kernel, "rows of " + name, rows);
            nonNegative(kernel, "cols of " + name, cols);
        }
        buffer(owner, kernel, name, buf, (long) rows * cols, Shape.MATRIX, 1, rows, cols);
    }

    /** A vector of n elements at the start of {@code buf}. */
    static void vector(Backend owner, String kernel, String name, DeviceBuffer buf, long n) {
        if (n < 0) {
            nonNegative(kernel, "length of " + name, n);
        }
        buffer(owner, kernel, name, buf, n, Shape.VECTOR);
    }

    /** A matrix view: its buffer belongs to {@code owner} and spans the view (batch members {@code stride} apart). */
    static void view(Backend owner, String kernel, String name, Matrix view, int batch, long stride) {
        if (view == null) {
            throw new IllegalArgumentException(kernel + ": " + name + " is null");
        }
        int rows = view.storedRows(), cols = view.storedCols();
        buffer(owner, kernel, name, view.data(), batchSpan(batch, stride, span(rows, cols, view.ld())),
                Shape.MATRIX, batch, rows, cols);
    }

    /**
     * An index list of this backend whose values (checked when they were written) lie below {@code bound}, and
     * increase strictly when {@code increasing}.
     */
    static void indices(Backend owner, String kernel, String name, IndexList list, int count, int bound,
                        boolean increasing) {
        if (list == null) {
            throw new IllegalArgumentException(kernel + ": " + name + " is null");
        }
        buffer(owner, kernel, name, list.ints(), count, Shape.VECTOR);
        if (list.count() != count) {
            throw new IllegalArgumentException(kernel + ": " + name + " holds " + list.count()
                    + " indices, expected " + count);
        }
        if (list.max() >= bound) {
            throw new IllegalArgumentException(kernel + ": " + name + " holds index " + list.max()
                    + ", outside [0, " + bound + ")");
        }
        if (increasing && !list.strictlyIncreasing()) {
            throw new IllegalArgumentException(kernel + ": " + name + " must be strictly increasing");
        }
    }

    private static String describe(Shape shape, int batch, long rows, long cols, long needed) {
        return switch (shape) {
            case ANY -> "any";
            case VECTOR -> "[" + needed + "]";
            case MATRIX -> (batch == 1 ? "" : batch + " x ") + "[" + rows + " x " + cols + "]";
        };
    }

    /** Elements a row-major rows x cols matrix with leading dimension ld spans. */
    static long span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }

    /** Elements a strided batch of matrices spans. */
    static long batchSpan(int batch, long stride, long matrixSpan) {
        return batch == 0 ? 0 : (batch - 1) * stride + matrixSpan;
    }

    /** Host arrays may hold at most 2^31-1 elements, so sizes beyond that are refused up front. */
    static int hostLength(String kernel, String name, long length) {
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": " + name + " has " + length
                    + " elements, more than a host array can hold (2^31-1)");
        }
        return (int) length;
    }

    static void hostRange(String kernel, String name, int arrayLength, int offset, long count) {
        if (offset < 0 || offset + count > arrayLength) {
            throw new IllegalArgumentException(kernel + ": " + name + " has " + arrayLength + " elements, needs "
                    + count + " from offset " + offset);
        }
    }
}
