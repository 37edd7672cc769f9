package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceBuffer;

/**
 * What OpenCL float and int buffers share: the device storage (held by the owning buffer, shared by its views), an
 * element offset and a length. Only the owner releases the storage; views see it released and fail loudly.
 */
abstract class ClBuffer implements DeviceBuffer {
    private final ClBuffers memory;
    final ClStorage storage;
    final int offset;
    private final int length;
    private final boolean owner;

    ClBuffer(ClBuffers memory, ClStorage storage, int offset, int length, boolean owner) {
        this.memory = memory;
        this.storage = storage;
        this.offset = offset;
        this.length = length;
        this.owner = owner;
    }

    /** The backend's buffers, for subclasses that build views. */
    final ClBuffers memory() {
        return memory;
    }

    /** The element offset of a view [from, from + count) of this buffer, checked against its bounds. */
    final int viewOffset(long from, long count) {
        if (from < 0 || count < 0 || from + count > length) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + count) + ") is outside a buffer of "
                    + length + " elements");
        }
        return offset + (int) from;
    }

    @Override
    public Backend backend() {
        return memory.owner();
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public boolean isClosed() {
        return storage.isReleased();
    }

    @Override
    public void close() {
        if (owner) {
            memory.release(storage);
        }
    }
}
