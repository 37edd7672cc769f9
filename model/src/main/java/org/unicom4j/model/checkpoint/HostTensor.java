package org.unicom4j.model.checkpoint;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;
import org.unicom4j.data.InvalidInputException;

/**
 * A named tensor in host memory as a checkpoint stores it: an element type, a shape, and a strided view
 * (element strides and offset, as PyTorch's {@code _rebuild_tensor_v2} gives them) into a storage segment.
 * The storage is usually a memory-mapped region of the checkpoint file, so reading a multi-GB checkpoint does
 * not copy it; the values are converted only when asked for ({@link #toFloatArray()}, {@link #toLongArray()}).
 * Views of one storage (tensors that shared it in PyTorch) stay views of one segment.
 *
 * <p>Immutable. Valid for as long as the storage is: a tensor read from a file is valid until its
 * {@link StateDict} is closed.
 */
public final class HostTensor implements WritableTensor {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final long[] strides;
    private final long offset;
    private final MemorySegment storage;
    private final ByteOrder order;
    private final long numel;

    private HostTensor(String name, DType dtype, long[] shape, long[] strides, long offset,
                       MemorySegment storage, ByteOrder order) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
        this.storage = Objects.requireNonNull(storage, "storage");
        this.order = Objects.requireNonNull(order, "order");
        if (strides.length != shape.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + strides.length + " strides for shape "
                    + formatShape(shape));
        }
        long n = 1;
        long lastIndex = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || strides[d] < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative size or stride, shape "
                        + formatShape(shape) + " stride " + formatShape(strides));
            }
            n = Math.multiplyExact(n, shape[d]);
            if (shape[d] > 0) {
                lastIndex = Math.addExact(lastIndex, Math.multiplyExact(shape[d] - 1, strides[d]));
            }
        }
        this.numel = n;
        if (offset < 0) {
            throw new IllegalArgumentException("tensor '" + name + "': negative storage offset " + offset);
        }
        if (n > 0 && Math.multiplyExact(lastIndex + 1, (long) dtype.byteSize()) > storage.byteSize()) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + formatShape(shape) + " stride "
                    + formatShape(strides) + " offset " + offset + " needs " + (lastIndex + 1) + " " + dtype
                    + " elements of storage, the storage has " + storage.byteSize() / dtype.byteSize());
        }
    }

    /** A contiguous row-major tensor over little-endian bytes (for example a slice of a mapped file). */
    public static HostTensor of(String name, DType dtype, long[] shape, MemorySegment littleEndianData) {
        long bytes = Math.multiplyExact(elementCount(name, shape), (long) dtype.byteSize());
        if (bytes != littleEndianData.byteSize()) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype + " " + formatShape(shape) + " needs "
                    + bytes + " bytes, got " + littleEndianData.byteSize());
        }
        return new HostTensor(name, dtype, shape, contiguousStrides(shape), 0, littleEndianData,
                ByteOrder.LITTLE_ENDIAN);
    }

    private static long elementCount(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative size in shape " + formatShape(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A strided view into a little-endian storage, with strides and offset counted in elements. */
    public static HostTensor strided(String name, DType dtype, long[] shape, long[] strides, long offset,
                                     MemorySegment littleEndianStorage) {
        return new HostTensor(name, dtype, shape, strides, offset, littleEndianStorage, ByteOrder.LITTLE_ENDIAN);
    }

    /** A strided view into a storage of either byte order (NumPy arrays may be big-endian). */
    static HostTensor view(String name, DType dtype, long[] shape, long[] strides, long offset,
                           MemorySegment storage, ByteOrder order) {
        return new HostTensor(name, dtype, shape, strides, offset, storage, order);
    }

    /** A float32 tensor over {@code values} (not copied), row-major. */
    public static HostTensor ofFloats(String name, float[] values, long... shape) {
        return ofArray(name, DType.F32, MemorySegment.ofArray(values), values.length, shape);
    }

    /** An int64 tensor over {@code values} (not copied), row-major. */
    public static HostTensor ofLongs(String name, long[] values, long... shape) {
        return ofArray(name, DType.I64, MemorySegment.ofArray(values), values.length, shape);
    }

    private static HostTensor ofArray(String name, DType dtype, MemorySegment heap, int length, long[] shape) {
        HostTensor t = new HostTensor(name, dtype, shape, contiguousStrides(shape), 0, heap, ByteOrder.nativeOrder());
        if (t.numel != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + formatShape(shape) + " has "
                    + t.numel + " elements, got " + length + " values");
        }
        return t;
    }

    /** The same view under another name. */
    public HostTensor withName(String newName) {
        return new HostTensor(newName, dtype, shape, strides, offset, storage, order);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A copy of the element strides. */
    public long[] strides() {
        return strides.clone();
    }

    /** Offset of the first element in the storage, in elements. */
    public long storageOffset() {
        return offset;
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        return numel;
    }

    /** Size of the values in bytes once laid out contiguously. */
    @Override
    public long byteSize() {
        return numel * dtype.byteSize();
    }

    /** Whether the shape equals {@code expected}. */
    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    /** True when the elements are laid out row-major without gaps (an offset is allowed). */
    public boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return numel == 0;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The values converted to float, row-major (fp16 and bf16 widen exactly, float64 and int64 round). */
    public float[] toFloatArray() {
        float[] out = new float[checkedArrayLength()];
        readFloats(out, 0);
        return out;
    }

    /** Writes the values converted to float, row-major, into {@code dst} from {@code dstOffset}. */
    public void readFloats(float[] dst, int dstOffset) {
        checkDestination(dst.length, dstOffset);
        ElementReader reader = new ElementReader(dtype, storage, order);
        if (isContiguous()) {
            reader.readFloats(offset, (int) numel, dst, dstOffset);
            return;
        }
        forEachElement((logical, index) -> dst[dstOffset + (int) logical] = reader.floatAt(index));
    }

    /**
     * Streams the values, converted to float, into {@code sink} in chunks of 1 Mi floats (a device buffer is
     * filled without a host copy of the whole tensor); the sink must hold exactly {@link #numel()} floats.
     */
    public void copyTo(FloatSink sink) {
        if (sink.length() != numel) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + formatShape(shape) + " (" + numel
                    + " values), expected " + sink.length() + " values");
        }
        if (!isContiguous()) {
            float[] all = toFloatArray();
            sink.write(0, all, all.length);
            return;
        }
        ElementReader reader = new ElementReader(dtype, storage, order);
        float[] chunk = new float[(int) Math.min(1 << 20, numel)];
        for (long at = 0; at < numel; at += chunk.length) {
            int count = (int) Math.min(chunk.length, numel - at);
            reader.readFloats(offset + at, count, chunk, 0);
            sink.write(at, chunk, count);
        }
    }

    /** The values as double, row-major (exact for every dtype but int64 beyond 2^53). */
    public double[] toDoubleArray() {
        double[] out = new double[checkedArrayLength()];
        ElementReader reader = new ElementReader(dtype, storage, order);
        forEachElement((logical, index) -> out[(int) logical] = reader.doubleAt(index));
        return out;
    }

    /** The values of an integer or bool tensor as long, row-major. */
    public long[] toLongArray() {
        if (dtype.isFloatingPoint()) {
            throw new InvalidInputException("tensor '" + name + "' is " + dtype + ", not an integer type");
        }
        long[] out = new long[checkedArrayLength()];
        ElementReader reader = new ElementReader(dtype, storage, order);
        forEachElement((logical, index) -> out[(int) logical] = reader.longAt(index));
        return out;
    }

    /** The single value of a tensor with one element (a 0-d tensor such as {@code num_batches_tracked}). */
    public double item() {
        if (numel != 1) {
            throw new InvalidInputException("tensor '" + name + "' has shape " + formatShape(shape)
                    + ", expected a single element");
        }
        return new ElementReader(dtype, storage, order).doubleAt(offset);
    }

    /**
     * Writes the values row-major as little-endian bytes of this tensor's dtype (the layout safetensors and
     * PyTorch storages use), in chunks, so a tensor of any size streams through a small buffer.
     *
     * @return the number of bytes written
     */
    @Override
    public long writeLittleEndian(WritableByteChannel channel) throws IOException {
        int elementSize = dtype.byteSize();
        ValueLayout src = elementLayout(elementSize, order);
        ValueLayout dst = elementLayout(elementSize, ByteOrder.LITTLE_ENDIAN);
        int chunkElements = (1 << 20) / elementSize;
        byte[] chunk = new byte[chunkElements * elementSize];
        MemorySegment chunkSegment = MemorySegment.ofArray(chunk);
        long written = 0;
        if (isContiguous()) {
            for (long start = 0; start < numel; start += chunkElements) {
                int count = (int) Math.min(chunkElements, numel - start);
                MemorySegment.copy(storage, src, (offset + start) * elementSize, chunkSegment, dst, 0, count);
                written += writeFully(channel, ByteBuffer.wrap(chunk, 0, count * elementSize));
            }
            return written;
        }
        int[] filled = {0};
        long[] total = {0};
        IOException[] failure = {null};
        forEachElement((logical, index) -> {
            if (failure[0] != null) {
                return;
            }
            MemorySegment.copy(storage, src, index * elementSize, chunkSegment, dst,
                    (long) filled[0] * elementSize, 1);
            if (++filled[0] == chunkElements || logical == numel - 1) {
                try {
                    total[0] += writeFully(channel, ByteBuffer.wrap(chunk, 0, filled[0] * elementSize));
                } catch (IOException e) {
                    failure[0] = e;
                }
                filled[0] = 0;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return total[0];
    }

    private static long writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        long n = 0;
        while (buffer.hasRemaining()) {
            n += channel.write(buffer);
        }
        return n;
    }

    private static ValueLayout elementLayout(int size, ByteOrder order) {
        return switch (size) {
            case 1 -> ValueLayout.JAVA_BYTE;
            case 2 -> ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
            case 4 -> ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
            case 8 -> ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
            default -> throw new IllegalStateException("element size " + size);
        };
    }

    /** Receives each element's row-major position and its index in the storage. */
    @FunctionalInterface
    private interface ElementVisitor {
        void visit(long logical, long storageIndex);
    }

    /** Visits the elements in row-major order, walking the strides like an odometer. */
    private void forEachElement(ElementVisitor visitor) {
        if (numel == 0) {
            return;
        }
        if (isContiguous()) {
            for (long i = 0; i < numel; i++) {
                visitor.visit(i, offset + i);
            }
            return;
        }
        int r = shape.length;
        long inner = shape[r - 1];
        long innerStride = strides[r - 1];
        long[] counter = new long[r];
        long base = offset;
        long logical = 0;
        for (long row = 0, rows = numel / inner; row < rows; row++) {
            for (long i = 0; i < inner; i++) {
                visitor.visit(logical++, base + i * innerStride);
            }
            for (int d = r - 2; d >= 0; d--) {
                base += strides[d];
                if (++counter[d] < shape[d]) {
                    break;
                }
                base -= strides[d] * shape[d];
                counter[d] = 0;
            }
        }
    }

    private int checkedArrayLength() {
        if (numel > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("tensor '" + name + "' has " + numel
                    + " elements, more than a Java array holds");
        }
        return (int) numel;
    }

    private void checkDestination(int length, int dstOffset) {
        if (dstOffset < 0 || dstOffset > length || length - dstOffset < numel) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + numel + " elements, destination has "
                    + Math.max(0, length - dstOffset) + " from offset " + dstOffset);
        }
    }

    /** The row-major strides of {@code shape}, in elements. */
    public static long[] contiguousStrides(long[] shape) {
        long[] s = new long[shape.length];
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = stride;
            stride *= shape[d];
        }
        return s;
    }

    /** {@code (768, 3, 32, 32)}, {@code (768,)} and {@code ()} as PyTorch prints shapes. */
    public static String formatShape(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int d = 0; d < shape.length; d++) {
            sb.append(d == 0 ? "" : ", ").append(shape[d]);
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + formatShape(shape);
    }
}
