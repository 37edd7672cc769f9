package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceInts;

/** An int32 buffer of the OpenCL backend, or a view of one: storage plus element offset and length. */
final class ClInts implements DeviceInts {
    private final OpenClBackend backend;
    final ClStorage storage;
    final int offset;
    private final int length;
    private final boolean owner;

    ClInts(OpenClBackend backend, ClStorage storage, int offset, int length, boolean owner) {
        this.backend = backend;
        this.storage = storage;
        this.offset = offset;
        this.length = length;
        this.owner = owner;
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
        return storage.isReleased();
    }

    @Override
    public DeviceInts slice(long from, long count) {
        checkSlice(from, count, length);
        return new ClInts(backend, storage, offset + (int) from, (int) count, false);
    }

    @Override
    public void close() {
        if (owner) {
            backend.release(storage);
        }
    }

    static void checkSlice(long from, long count, int length) {
        if (from < 0 || count < 0 || from + count > length) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + count) + ") is outside a buffer of "
                    + length + " elements");
        }
    }
}
