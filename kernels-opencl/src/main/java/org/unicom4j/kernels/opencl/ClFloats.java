package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.DeviceFloats;

/** A float32 buffer of the OpenCL backend, or a view of one. */
final class ClFloats extends ClBuffer implements DeviceFloats {

    ClFloats(ClBuffers memory, ClStorage storage, int offset, int length, boolean owner) {
        super(memory, storage, offset, length, owner);
    }

    @Override
    public DeviceFloats slice(long from, long count) {
        return new ClFloats(memory(), storage, viewOffset(from, count), (int) count, false);
    }
}
