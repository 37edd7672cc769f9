package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/** A float32 buffer of the CPU backend: kernels read {@link #array()} from {@link #offset()}. */
public final class CpuFloats extends CpuBuffer<float[]> implements DeviceFloats {

    CpuFloats(Backend backend, int length) {
        super(backend, new float[length], length);
    }

    private CpuFloats(CpuFloats parent, long from, long count) {
        super(parent, from, count);
    }

    /** The array behind a buffer of the CPU backend (the facades' checks guarantee it is one). */
    static float[] array(DeviceFloats buffer) {
        return ((CpuFloats) buffer).array();
    }

    /** Where {@code buffer} starts in its {@link #array(DeviceFloats)}. */
    static int offset(DeviceFloats buffer) {
        return ((CpuFloats) buffer).offset();
    }

    @Override
    public DeviceFloats slice(long from, long count) {
        return new CpuFloats(this, from, count);
    }
}
