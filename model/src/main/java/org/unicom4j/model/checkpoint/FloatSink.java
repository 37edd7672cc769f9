package org.unicom4j.model.checkpoint;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/** Where floats read back from a checkpoint go, in chunks (a device buffer is filled without a host copy of it). */
public interface FloatSink {
    long length();

    /** Stores {@code src[0..count)} at {@code offset}. */
    void write(long offset, float[] src, int count);

    static FloatSink of(Backend backend, DeviceFloats buffer) {
        return new FloatSink() {
            @Override
            public long length() {
                return buffer.length();
            }

            @Override
            public void write(long offset, float[] src, int count) {
                backend.buffers().upload(src, 0, buffer.slice(offset, count));
            }
        };
    }
}
