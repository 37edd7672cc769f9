package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceInts;

/**
 * An int32 buffer of the CPU backend: a Java array plus an offset (views share the array). Kernels read
 * {@link #array()} from {@link #offset()}; a closed owner drops its array so later use fails loudly.
 */
public final class CpuInts implements DeviceInts {
    private final Backend backend;
    private final CpuInts owner;
    private int[] array;
    private final int offset;
    private final int length;

    CpuInts(Backend backend, int length) {
        this.backend = backend;
        this.owner = null;
        this.array = new int[length];
        this.offset = 0;
        this.length = length;
    }

    private CpuInts(CpuInts owner, int offset, int length) {
        this.backend = owner.backend;
        this.owner = owner;
        this.array = null;
        this.offset = offset;
        this.length = length;
    }

    /** The backing array (shared by every view of the same buffer). */
    public int[] array() {
        CpuInts root = owner == null ? this : owner;
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
    public DeviceInts slice(long from, long count) {
        if (from < 0 || count < 0 || from + count > length) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + count) + ") is outside a buffer of "
                    + length + " elements");
        }
        return new CpuInts(owner == null ? this : owner, offset + (int) from, (int) count);
    }

    @Override
    public void close() {
        if (owner == null) {
            array = null;
        }
    }
}
