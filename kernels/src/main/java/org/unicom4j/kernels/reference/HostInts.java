package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.cpu.CpuInts;

/** Element access to a reference-backend int buffer. */
final class HostInts {
    private final int[] array;
    private final int offset;

    HostInts(DeviceInts buffer) {
        CpuInts b = (CpuInts) buffer;
        this.array = b.array();
        this.offset = b.offset();
    }

    int get(long i) {
        return array[offset + (int) i];
    }

    void set(long i, int value) {
        array[offset + (int) i] = value;
    }
}
