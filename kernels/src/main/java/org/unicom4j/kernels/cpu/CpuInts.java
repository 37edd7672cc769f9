package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceInts;

/** An int32 buffer of the CPU backend: kernels read {@link #array()} from {@link #offset()}. */
public final class CpuInts extends CpuBuffer<int[]> implements DeviceInts {

    CpuInts(Backend backend, int length) {
        super(backend, new int[length], length);
    }

    private CpuInts(CpuInts parent, long from, long count) {
        super(parent, from, count);
    }

    @Override
    public DeviceInts slice(long from, long count) {
        return new CpuInts(this, from, count);
    }
}
