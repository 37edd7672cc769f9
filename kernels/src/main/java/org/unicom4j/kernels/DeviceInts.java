package org.unicom4j.kernels;

/** An int32 device buffer or a view of one (labels, sampled indices, argmax/top-k results). */
public interface DeviceInts extends DeviceBuffer {

    /** A view of {@code length} elements starting at {@code offset}; shares storage with this buffer. */
    DeviceInts slice(long offset, long length);

    /** A view from {@code offset} to the end of this buffer. */
    default DeviceInts slice(long offset) {
        return slice(offset, length() - offset);
    }
}
