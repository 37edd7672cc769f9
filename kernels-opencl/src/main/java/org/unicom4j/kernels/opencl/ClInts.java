package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.DeviceInts;

/** A int32 buffer of the OpenCL backend, or a view of one. */
final class ClInts extends ClBuffer implements DeviceInts {

    ClInts(ClBuffers memory, ClStorage storage, int offset, int length, boolean owner) {
        super(memory, storage, offset, length, owner);
    }

    @Override
    public DeviceInts slice(long from, long count) {
        return new ClInts(memory(), storage, viewOffset(from, count), (int) count, false);
    }
}
