package org.unicom4j.data.npy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.unicom4j.data.FileFormatException;

/**
 * Rows of a {@code .npy} file of rank >= 1, read on demand from a memory mapping: a row is everything under one
 * index of the first dimension (for a [rows, 768] feature shard, one 768-float vector). Nothing is loaded up front,
 * so files far larger than the heap work; the OS pages data in and out. Reads are thread-safe; close releases the
 * mapping.
 */
public final class NpyRowReader implements AutoCloseable {
    private final Path file;
    private final NpyHeader header;
    private final Arena arena;
    private final MemorySegment data;
    private final long rows;
    private final int rowLength;

    private NpyRowReader(Path file, NpyHeader header, Arena arena, MemorySegment data) {
        this.file = file;
        this.header = header;
        this.arena = arena;
        this.data = data;
        long[] shape = header.shape();
        this.rows = shape[0];
        long length = NpyHeader.elementCount(Arrays.copyOfRange(shape, 1, shape.length));
        if (length > Integer.MAX_VALUE - 8) {
            throw new FileFormatException(file + ": a row of shape " + Arrays.toString(shape) + " has " + length
                    + " elements, more than one Java array holds");
        }
        this.rowLength = (int) length;
    }

    /** Maps {@code file}; its header is validated (including the file size) before anything is returned. */
    public static NpyRowReader open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader header = NpyHeader.read(channel, file);
            if (header.shape().length == 0) {
                throw new FileFormatException(file + ": a 0-d (scalar) array has no rows; expected rank >= 1");
            }
            MemorySegment data = header.dataBytes() == 0 ? MemorySegment.NULL
                    : channel.map(FileChannel.MapMode.READ_ONLY, header.dataOffset(), header.dataBytes(), arena);
            return new NpyRowReader(file, header, arena, data);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public NpyHeader header() {
        return header;
    }

    public NpyDtype dtype() {
        return header.dtype();
    }

    /** Size of the first dimension. */
    public long rows() {
        return rows;
    }

    /** Elements per row: the product of every dimension after the first. */
    public int rowLength() {
        return rowLength;
    }

    /** Reads row {@code row} as float32 into {@code dst[dstOffset ..]}. */
    public void readRow(long row, float[] dst, int dstOffset) {
        readRows(row, 1, dst, dstOffset);
    }

    /**
     * Reads rows {@code [firstRow, firstRow + count)} as float32 into {@code dst} starting at {@code dstOffset},
     * row after row. float16 is widened exactly; float64 and integers are rounded to the nearest float.
     */
    public void readRows(long firstRow, int count, float[] dst, int dstOffset) {
        checkRange(firstRow, count);
        long n = (long) count * rowLength;
        if (dstOffset < 0 || dstOffset + n > dst.length) {
            throw new IllegalArgumentException(file + ": " + count + " rows of " + rowLength + " need " + n
                    + " floats from offset " + dstOffset + ", destination has " + dst.length);
        }
        if (n == 0) {
            return;
        }
        long first = firstRow * rowLength;
        NpyDtype dtype = header.dtype();
        if (dtype == NpyDtype.FLOAT32) {
            MemorySegment.copy(data, NpyArray.F32, first * 4, dst, dstOffset, (int) n);
            return;
        }
        Object chunk = NpyArray.copyOut(data, dtype, first, (int) n);
        switch (chunk) {
            case short[] h -> { for (int i = 0; i < n; i++) dst[dstOffset + i] = Float.float16ToFloat(h[i]); }
            case double[] d -> { for (int i = 0; i < n; i++) dst[dstOffset + i] = (float) d[i]; }
            case int[] v -> { for (int i = 0; i < n; i++) dst[dstOffset + i] = v[i]; }
            case long[] v -> { for (int i = 0; i < n; i++) dst[dstOffset + i] = v[i]; }
            case byte[] b -> { for (int i = 0; i < n; i++) dst[dstOffset + i] = b[i] & 0xff; }
            default -> throw new IllegalStateException("unreachable");
        }
    }

    /** Reads one row into a new array. */
    public float[] row(long row) {
        float[] out = new float[rowLength];
        readRow(row, out, 0);
        return out;
    }

    private void checkRange(long firstRow, int count) {
        if (firstRow < 0 || count < 0 || firstRow + count > rows) {
            throw new IndexOutOfBoundsException(file + ": rows [" + firstRow + ", " + (firstRow + count)
                    + ") out of range; file has " + rows + " rows");
        }
    }

    /** Unmaps the file; rows read afterwards fail. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "NpyRowReader[" + file + " " + header + "]";
    }
}
