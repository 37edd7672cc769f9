package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.cpu.CpuFloats;

/** Element access to a reference-backend float buffer (a Java array from an offset), for readable loops. */
final class HostFloats {
    private final float[] array;
    private final int offset;

    HostFloats(DeviceFloats buffer) {
        CpuFloats b = (CpuFloats) buffer;
        this.array = b.array();
        this.offset = b.offset();
    }

    double get(long i) {
        return array[offset + (int) i];
    }

    void set(long i, double value) {
        array[offset + (int) i] = (float) value;
    }

    /** Element i += value, rounded once. */
    void add(long i, double value) {
        set(i, get(i) + value);
    }
}
