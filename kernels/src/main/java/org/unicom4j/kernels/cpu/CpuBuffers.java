package org.unicom4j.kernels.cpu;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceBuffer;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.spi.BufferKernels;

/**
 * The CPU backend's buffers: Java arrays ({@link CpuFloats}, {@link CpuInts}). Transfers are array copies;
 * copy and fill run on the backend's threads. Owning buffers still open are closed with the backend (weakly
 * held: a dropped buffer is simply collected). The reference backend keeps its buffers the same way, on one
 * thread ({@link #singleThreaded}).
 */
public final class CpuBuffers implements BufferKernels {
    private final Backend owner;
    private final CpuElementwise elementwise;
    private final Set<DeviceBuffer> open = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile boolean closed;

    CpuBuffers(Backend owner, CpuElementwise elementwise) {
        this.owner = owner;
        this.elementwise = elementwise;
    }

    /** Array buffers owned by {@code owner} whose copy and fill run on the calling thread only. */
    public static CpuBuffers singleThreaded(Backend owner) {
        return new CpuBuffers(owner, new CpuElementwise(new ParallelLoop(1)));
    }

    @Override
    public DeviceFloats allocFloats(int length) {
        return track(new CpuFloats(owner, checkOpen("allocFloats", length)));
    }

    @Override
    public DeviceInts allocInts(int length) {
        return track(new CpuInts(owner, checkOpen("allocInts", length)));
    }

    @Override
    public void upload(float[] src, int srcOffset, DeviceFloats dst, int count) {
        CpuFloats d = (CpuFloats) dst;
        System.arraycopy(src, srcOffset, d.array(), d.offset(), count);
    }

    @Override
    public void upload(int[] src, int srcOffset, DeviceInts dst, int count) {
        CpuInts d = (CpuInts) dst;
        System.arraycopy(src, srcOffset, d.array(), d.offset(), count);
    }

    @Override
    public void download(DeviceFloats src, float[] dst, int dstOffset) {
        CpuFloats s = (CpuFloats) src;
        System.arraycopy(s.array(), s.offset(), dst, dstOffset, (int) s.length());
    }

    @Override
    public void download(DeviceInts src, int[] dst, int dstOffset) {
        CpuInts s = (CpuInts) src;
        System.arraycopy(s.array(), s.offset(), dst, dstOffset, (int) s.length());
    }

    @Override
    public void copy(DeviceFloats src, DeviceFloats dst) {
        elementwise.copy((CpuFloats) src, (CpuFloats) dst, (int) src.length());
    }

    @Override
    public void fill(DeviceFloats x, float value) {
        elementwise.fill((CpuFloats) x, value, (int) x.length());
    }

    /** Closes every buffer still open; later allocations fail. */
    public void closeAll() {
        closed = true;
        DeviceBuffer[] buffers;
        synchronized (open) {
            buffers = open.toArray(new DeviceBuffer[0]);
            open.clear();
        }
        for (DeviceBuffer b : buffers) {
            b.close();
        }
    }

    private <B extends DeviceBuffer> B track(B buffer) {
        open.add(buffer);
        return buffer;
    }

    private int checkOpen(String kernel, int length) {
        if (closed) {
            throw new IllegalStateException(kernel + ": the " + owner.name() + " backend has been closed");
        }
        return length;
    }
}
