package org.unicom4j.kernels;

/**
 * The argument checks every kernel runs before it touches memory, so that a bad call fails with one
 * message naming the kernel, the argument, the size seen and the size expected.
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

    /** How the expected size is described in a message; the text is built only when a check fails. */
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

    private static String describe(Shape shape, int batch, long rows, long cols, long needed) {
        return switch (shape) {
            case ANY -> "any";
            case VECTOR -> "[" + needed + "]";
            case MATRIX -> (batch == 1 ? "" : batch + " x ") + "[" + rows + " x " + cols + "]";
        };
    }

    static void leadingDimension(String kernel, String name, int ld, int minimum) {
        if (ld < Math.max(1, minimum)) {
            throw new IllegalArgumentException(kernel + ": " + name + " = " + ld + " is below the row length " + minimum);
        }
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
}
