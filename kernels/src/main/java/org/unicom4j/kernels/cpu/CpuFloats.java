package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/**
 * A float32 buffer of the CPU backend: a Java array plus an offset (views share the array). Kernels read
 * {@link #array()} from {@link #offset()}; a closed owner drops its array so later use fails loudly.
 */
public final class CpuFloats implements DeviceFloats {
    private final Backend backend;
    private final CpuFloats owner;
    private float[] array;
    private final int offset;
    private final int length;

    CpuFloats(Backend backend, int length) {
        this.backend = backend;
        this.owner = null;
        this.array = new float[length];
        this.offset = 0;
        this.length = length;
    }

    private CpuFloats(CpuFloats owner, int offset, int length) {
        this.backend = owner.backend;
        this.owner = owner;
        this.array = null;
        this.offset = offset;
        this.length = length;
    }

    /** The backing array (shared by every view of the same buffer). */
    public float[] array() {
        CpuFloats root = owner == null ? this : owner;
        if (root.array == null) {
            throw new IllegalStateException("cpu buffer has been closed");
        }
        return root.array;
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
        return (owner == null ? array : owner.array) == null;
    }

    @Override
    public DeviceFloats slice(long from, long count) {
        if (from < 0 || count < 0 || from + count > length) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + count) + ") is outside a buffer of "
                    + length + " elements");
        }
        return new CpuFloats(owner == null ? this : owner, offset + (int) from, (int) count);
    }

    @Override
    public void close() {
        if (owner == null) {
            array = null;
        }
    }
}
