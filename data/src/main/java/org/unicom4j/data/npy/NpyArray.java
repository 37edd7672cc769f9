package org.unicom4j.data.npy;

import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.io.AtomicFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A whole {@code .npy} array in memory: its dtype, C-order shape, and the values as the Java array natural to the
 * dtype (float16 kept as raw {@code short} bits, so a read/write round trip is bit-exact). Conversions
 * ({@link #toFloats()}, {@link #toLongs()}, ...) copy. For files larger than the heap, use {@link NpyRowReader}.
 */
public final class NpyArray {
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final NpyDtype dtype;
    private final long[] shape;
    /** short[] (f2), float[], double[], int[], long[], byte[] (u1, b1). */
    private final Object values;

    private NpyArray(NpyDtype dtype, long[] shape, Object values) {
        long n = NpyHeader.elementCount(shape);
        int length = java.lang.reflect.Array.getLength(values);
        if (n != length) {
            throw new IllegalArgumentException("npy array of shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + length);
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.values = values;
    }

    public static NpyArray ofFloats(float[] values, long... shape) {
        return new NpyArray(NpyDtype.FLOAT32, shape, values);
    }

    /** float32 values to be stored as float16 (IEEE round-to-nearest-even, as numpy's astype). */
    public static NpyArray ofFloatsAsHalf(float[] values, long... shape) {
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToFloat16(values[i]);
        }
        return new NpyArray(NpyDtype.FLOAT16, shape, bits);
    }

    public static NpyArray ofDoubles(double[] values, long... shape) {
        return new NpyArray(NpyDtype.FLOAT64, shape, values);
    }

    public static NpyArray ofInts(int[] values, long... shape) {
        return new NpyArray(NpyDtype.INT32, shape, values);
    }

    public static NpyArray ofLongs(long[] values, long... shape) {
        return new NpyArray(NpyDtype.INT64, shape, values);
    }

    /** Unsigned bytes: {@code values[i] & 0xff} is the element. */
    public static NpyArray ofUnsignedBytes(byte[] values, long... shape) {
        return new NpyArray(NpyDtype.UINT8, shape, values);
    }

    public static NpyArray ofBooleans(boolean[] values, long... shape) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        return new NpyArray(NpyDtype.BOOL, shape, bytes);
    }

    /** Reads a whole file; it must hold fewer than 2^31 elements. */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            NpyHeader header = NpyHeader.read(channel, file);
            long n = header.elementCount();
            if (n > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException(file + ": " + n + " elements of shape "
                        + Arrays.toString(header.shape()) + " do not fit one Java array; stream it with NpyRowReader");
            }
            MemorySegment data = header.dataBytes() == 0 ? MemorySegment.NULL
                    : channel.map(FileChannel.MapMode.READ_ONLY, header.dataOffset(), header.dataBytes(), arena);
            Object values = copyOut(data, header.dtype(), 0, (int) n);
            return new NpyArray(header.dtype(), header.shape(), values);
        }
    }

    /** Copies {@code count} elements starting at element {@code first} into a new array of the dtype's Java type. */
    static Object copyOut(MemorySegment data, NpyDtype dtype, long first, int count) {
        long offset = first * dtype.itemSize();
        return switch (dtype) {
            case FLOAT16 -> copy(data, I16, offset, new short[count], count);
            case FLOAT32 -> copy(data, F32, offset, new float[count], count);
            case FLOAT64 -> copy(data, F64, offset, new double[count], count);
            case INT32 -> copy(data, I32, offset, new int[count], count);
            case INT64 -> copy(data, I64, offset, new long[count], count);
            case UINT8, BOOL -> copy(data, ValueLayout.JAVA_BYTE, offset, new byte[count], count);
        };
    }

    private static Object copy(MemorySegment data, ValueLayout layout, long offset, Object dst, int count) {
        if (count > 0) {
            MemorySegment.copy(data, layout, offset, dst, 0, count);
        }
        return dst;
    }

    /** Writes this array to {@code file} atomically (temporary file, fsync, rename). */
    public void write(Path file) throws IOException {
        try (AtomicFile out = AtomicFile.create(file)) {
            FileChannel channel = out.channel();
            writeFully(channel, java.nio.ByteBuffer.wrap(NpyHeader.encode(dtype, shape, 0)));
            int n = java.lang.reflect.Array.getLength(values);
            int chunk = Math.max(1, (1 << 20) / dtype.itemSize());
            byte[] bytes = new byte[Math.min(n, chunk) * dtype.itemSize()];
            MemorySegment buffer = MemorySegment.ofArray(bytes);
            for (int start = 0; start < n; start += chunk) {
                int count = Math.min(chunk, n - start);
                MemorySegment.copy(values, start, buffer, layoutOf(dtype), 0, count);
                writeFully(channel, java.nio.ByteBuffer.wrap(bytes, 0, count * dtype.itemSize()));
            }
            out.commit();
        }
    }

    static ValueLayout layoutOf(NpyDtype dtype) {
        return switch (dtype) {
            case FLOAT16 -> I16;
            case FLOAT32 -> F32;
            case FLOAT64 -> F64;
            case INT32 -> I32;
            case INT64 -> I64;
            case UINT8, BOOL -> ValueLayout.JAVA_BYTE;
        };
    }

    static void writeFully(FileChannel channel, java.nio.ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    public NpyDtype dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (product of the shape; 1 for a scalar). */
    public int size() {
        return java.lang.reflect.Array.getLength(values);
    }

    /** The values as float32; float16 widened exactly, float64 and 64-bit integers rounded. */
    public float[] toFloats() {
        int n = size();
        float[] out = new float[n];
        switch (values) {
            case short[] h -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(h[i]); }
            case float[] f -> System.arraycopy(f, 0, out, 0, n);
            case double[] d -> { for (int i = 0; i < n; i++) out[i] = (float) d[i]; }
            case int[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case long[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case byte[] b -> { for (int i = 0; i < n; i++) out[i] = b[i] & 0xff; }
            default -> throw new IllegalStateException("unreachable");
        }
        return out;
    }

    /** The values as float64 (exact for every supported dtype except int64 beyond 2^53). */
    public double[] toDoubles() {
        int n = size();
        double[] out = new double[n];
        switch (values) {
            case short[] h -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(h[i]); }
            case float[] f -> { for (int i = 0; i < n; i++) out[i] = f[i]; }
            case double[] d -> System.arraycopy(d, 0, out, 0, n);
            case int[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case long[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case byte[] b -> { for (int i = 0; i < n; i++) out[i] = b[i] & 0xff; }
            default -> throw new IllegalStateException("unreachable");
        }
        return out;
    }

    /** The values as int64; only for the integer and boolean dtypes. */
    public long[] toLongs() {
        int n = size();
        long[] out = new long[n];
        switch (values) {
            case int[] v -> { for (int i = 0; i < n; i++) out[i] = v[i]; }
            case long[] v -> System.arraycopy(v, 0, out, 0, n);
            case byte[] b -> { for (int i = 0; i < n; i++) out[i] = b[i] & 0xff; }
            default -> throw notInteger("long");
        }
        return out;
    }

    /** The values as int32; only for the integer and boolean dtypes, and int64 values must fit. */
    public int[] toInts() {
        int n = size();
        int[] out = new int[n];
        switch (values) {
            case int[] v -> System.arraycopy(v, 0, out, 0, n);
            case long[] v -> {
                for (int i = 0; i < n; i++) {
                    if (v[i] != (int) v[i]) {
                        throw new InvalidInputException("npy int64 element " + i + " = " + v[i]
                                + " does not fit an int");
                    }
                    out[i] = (int) v[i];
                }
            }
            case byte[] b -> { for (int i = 0; i < n; i++) out[i] = b[i] & 0xff; }
            default -> throw notInteger("int");
        }
        return out;
    }

    /** The raw bytes of a {@code |u1} or {@code |b1} array. */
    public byte[] toBytes() {
        if (values instanceof byte[] b) {
            return b.clone();
        }
        throw new IllegalArgumentException("npy array of dtype " + dtype.descr() + " is not |u1 or |b1");
    }

    /** The raw float16 bit patterns of a {@code <f2} array. */
    public short[] toHalfBits() {
        if (values instanceof short[] h) {
            return h.clone();
        }
        throw new IllegalArgumentException("npy array of dtype " + dtype.descr() + " is not <f2");
    }

    private IllegalArgumentException notInteger(String to) {
        return new IllegalArgumentException("npy array of dtype " + dtype.descr() + " cannot be read as " + to
                + "; expected an integer or boolean dtype (<i4, <i8, |u1, |b1)");
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype.descr() + " " + Arrays.toString(shape) + "]";
    }
}
