package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.DeviceFloats;

/** A float32 buffer of the OpenCL backend, or a view of one. */
final class ClFloats extends ClBuffer implements DeviceFloats {

    ClFloats(OpenClBackend backend, ClStorage storage, int offset, int length, boolean owner) {
        super(backend, storage, offset, length, owner);
    }

    @Override
    public DeviceFloats slice(long from, long count) {
        return new ClFloats(clBackend(), storage, viewOffset(from, count), (int) count, false);
    }
}
