package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/** A float32 buffer of the OpenCL backend, or a view of one: storage plus element offset and length. */
final class ClFloats implements DeviceFloats {
    private final OpenClBackend backend;
    final ClStorage storage;
    final int offset;
    private final int length;
    private final boolean owner;

    ClFloats(OpenClBackend backend, ClStorage storage, int offset, int length, boolean owner) {
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
    public DeviceFloats slice(long from, long count) {
        ClInts.checkSlice(from, count, length);
        return new ClFloats(backend, storage, offset + (int) from, (int) count, false);
    }

    @Override
    public void close() {
        if (owner) {
            backend.release(storage);
        }
    }
}
