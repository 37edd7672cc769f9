package org.unicom4j.kernels;

/** A float32 device buffer or a view of one. Row-major matrices are laid out in it contiguously. */
public interface DeviceFloats extends DeviceBuffer {

    /** A view of {@code length} elements starting at {@code offset}; shares storage with this buffer. */
    DeviceFloats slice(long offset, long length);

    /** A view from {@code offset} to the end of this buffer. */
    default DeviceFloats slice(long offset) {
        return slice(offset, length() - offset);
    }
}
