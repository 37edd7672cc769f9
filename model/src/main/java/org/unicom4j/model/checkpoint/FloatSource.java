package org.unicom4j.model.checkpoint;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/** Floats read in chunks, so a multi-GB device buffer can be written without a host copy of it. */
public interface FloatSource {
    long length();

    /** Copies {@code count} floats starting at {@code offset} into {@code dst[0..count)}. */
    void read(long offset, float[] dst, int count);

    static FloatSource of(Backend backend, DeviceFloats buffer) {
        return new FloatSource() {
            @Override
            public long length() {
                return buffer.length();
            }

            @Override
            public void read(long offset, float[] dst, int count) {
                backend.buffers().download(buffer.slice(offset, count), dst, 0);
            }
        };
    }

    static FloatSource of(float[] values) {
        return new FloatSource() {
            @Override
            public long length() {
                return values.length;
            }

            @Override
            public void read(long offset, float[] dst, int count) {
                System.arraycopy(values, (int) offset, dst, 0, count);
            }
        };
    }
}
