package org.unicom4j.data.npy;

import org.unicom4j.data.io.AtomicFile;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Appends rows of a fixed shape to a new {@code .npy} file whose row count is known only at the end (features
 * written as images are embedded). Room for the header is reserved up front and the header rewritten with the final
 * row count by {@link #finish()}, which then fsyncs and renames the file into place. Closing without
 * {@code finish()} (an exception mid-way) deletes the partial file, so none is ever left behind.
 */
public final class NpyRowWriter implements AutoCloseable {
    private final Path file;
    private final NpyDtype dtype;
    private final long[] rowShape;
    private final int rowLength;
    private final int headerBytes;
    private final AtomicFile out;
    private long rows;

    private NpyRowWriter(Path file, NpyDtype dtype, long[] rowShape, AtomicFile out) throws IOException {
        this.file = file;
        this.dtype = dtype;
        this.rowShape = rowShape.clone();
        this.rowLength = Math.toIntExact(NpyHeader.elementCount(rowShape));
        this.out = out;
        // The header for the largest possible row count is the longest this file can ever need.
        this.headerBytes = NpyHeader.encode(dtype, shapeWithRows(Long.MAX_VALUE), 0).length;
        out.channel().position(headerBytes);
    }

    /** Starts {@code file} with rows of {@code rowShape} (empty for 1-D output, one scalar per row). */
    public static NpyRowWriter create(Path file, NpyDtype dtype, long... rowShape) throws IOException {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(file + ": NpyRowWriter writes float rows; dtype " + dtype.descr()
                    + " is not one of <f2, <f4, <f8 (use NpyArray for integer arrays)");
        }
        return new NpyRowWriter(file, dtype, rowShape, AtomicFile.create(file));
    }

    /** Elements per row. */
    public int rowLength() {
        return rowLength;
    }

    /** Rows written so far. */
    public long rows() {
        return rows;
    }

    /** Appends {@code count} rows taken from {@code src[srcOffset ..]}, converted to the file's dtype. */
    public void writeRows(float[] src, int srcOffset, int count) throws IOException {
        long n = (long) count * rowLength;
        if (count < 0 || srcOffset < 0 || srcOffset + n > src.length) {
            throw new IllegalArgumentException(file + ": " + count + " rows of " + rowLength + " need " + n
                    + " floats from offset " + srcOffset + ", source has " + src.length);
        }
        byte[] bytes = new byte[Math.toIntExact(n * dtype.itemSize())];
        MemorySegment segment = MemorySegment.ofArray(bytes);
        switch (dtype) {
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    segment.set(NpyArray.I16, 2L * i, Float.floatToFloat16(src[srcOffset + i]));
                }
            }
            case FLOAT32 -> MemorySegment.copy(src, srcOffset, segment, NpyArray.F32, 0, (int) n);
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    segment.set(NpyArray.F64, 8L * i, src[srcOffset + i]);
                }
            }
            default -> throw new IllegalStateException("unreachable");
        }
        NpyArray.writeFully(out.channel(), ByteBuffer.wrap(bytes));
        rows += count;
    }

    /** Appends one row. */
    public void writeRow(float[] row) throws IOException {
        if (row.length != rowLength) {
            throw new IllegalArgumentException(file + ": row has " + row.length + " values, expected " + rowLength
                    + " (row shape " + Arrays.toString(rowShape) + ")");
        }
        writeRows(row, 0, 1);
    }

    /** Writes the final header and moves the complete file into place. */
    public void finish() throws IOException {
        byte[] header = NpyHeader.encode(dtype, shapeWithRows(rows), headerBytes);
        if (header.length != headerBytes) {
            throw new IllegalStateException(file + ": header grew from " + headerBytes + " to " + header.length);
        }
        out.channel().write(ByteBuffer.wrap(header), 0);
        out.commit();
    }

    /** Deletes the partial file unless {@link #finish()} ran. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    private long[] shapeWithRows(long n) {
        long[] shape = new long[rowShape.length + 1];
        shape[0] = n;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return shape;
    }
}
