package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceBuffer;

/**
 * What CPU float and int buffers share: a Java array (held by the owning buffer, shared by its views), an
 * offset and a length. Closing the owner drops the array, so later use of it or of any view fails loudly.
 *
 * @param <A> the array type, float[] or int[]
 */
abstract class CpuBuffer<A> implements DeviceBuffer {
    private final Backend backend;
    private final CpuBuffer<A> owner;
    private A array;
    private final int offset;
    private final int length;

    /** An owning buffer of {@code array}. */
    CpuBuffer(Backend backend, A array, int length) {
        this.backend = backend;
        this.owner = null;
        this.array = array;
        this.offset = 0;
        this.length = length;
    }

    /** A view of [offset, offset + length) of {@code parent}'s storage, checked against the parent's bounds. */
    CpuBuffer(CpuBuffer<A> parent, long from, long count) {
        if (from < 0 || count < 0 || from + count > parent.length) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + count)
                    + ") is outside a buffer of " + parent.length + " elements");
        }
        this.backend = parent.backend;
        this.owner = parent.root();
        this.array = null;
        this.offset = parent.offset + (int) from;
        this.length = (int) count;
    }

    private CpuBuffer<A> root() {
        return owner == null ? this : owner;
    }

    /** The backing array (shared by every view of the same buffer). */
    public A array() {
        A data = root().array;
        if (data == null) {
            throw new IllegalStateException("cpu buffer has been closed");
        }
        return data;
    }

    /** Index in {@link #array()} of element 0 of this buffer or view. */
    public int offset() {
        return offset;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean isClosed() {
        return root().array == null;
    }

    @Override
    public void close() {
        if (owner == null) {
            array = null;
        }
    }
}
