package org.unicom4j.kernels.opencl;

import static org.unicom4j.kernels.opencl.ClCheck.check;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.spi.BufferKernels;

/**
 * The OpenCL backend's buffers: cl_mem allocations on its context, transfers and copies on its in-order queue
 * (so a download waits for the kernels before it), and per-call scratch buffers for the kernel families.
 * Storage still allocated is released with the backend.
 */
final class ClBuffers implements BufferKernels {
    private final Backend owner;
    private final ClContext context;
    private final ClQueue queue;
    private final Set<ClStorage> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ClBuffers(Backend owner, ClContext context, ClQueue queue) {
        this.owner = owner;
        this.context = context;
        this.queue = queue;
    }

    Backend owner() {
        return owner;
    }

    @Override
    public DeviceFloats allocFloats(int length) {
        return new ClFloats(this, allocate("allocFloats", length, true), 0, length, true);
    }

    @Override
    public DeviceInts allocInts(int length) {
        return new ClInts(this, allocate("allocInts", length, true), 0, length, true);
    }

    /**
     * A float scratch buffer for one call, zero-filled or not (freed by the caller; kernels already queued
     * keep it alive until they finish).
     */
    ClFloats scratch(String kernel, int length, boolean zeroed) {
        return new ClFloats(this, allocate(kernel, length, zeroed), 0, length, true);
    }

    private ClStorage allocate(String kernel, long elements, boolean zeroed) {
        if (closed) {
            throw new IllegalStateException(kernel + ": the opencl backend has been closed");
        }
        long bytes = Math.max(1, elements) * Sizeof.cl_float; // a zero-length cl_mem is not allowed
        int[] status = new int[1];
        cl_mem mem = CL.clCreateBuffer(context.context, CL.CL_MEM_READ_WRITE, bytes, null, status);
        check(kernel + ": clCreateBuffer(" + bytes + " bytes on " + context.device.deviceName() + ")", status[0]);
        ClStorage storage = new ClStorage(mem, elements);
        if (zeroed) {
            try {
                check(kernel + ": clEnqueueFillBuffer(zeros)", CL.clEnqueueFillBuffer(queue.queue, mem,
                        Pointer.to(new int[] {0}), Sizeof.cl_int, 0, bytes, 0, null, null));
            } catch (RuntimeException e) {
                storage.release();
                throw e;
            }
        }
        open.add(storage);
        return storage;
    }

    void release(ClStorage storage) {
        open.remove(storage);
        storage.release();
    }

    /** Releases every storage still allocated (all attempted); returns the first failure, or {@code failed}. */
    RuntimeException releaseAll(RuntimeException failed) {
        closed = true;
        for (ClStorage storage : open) {
            try {
                storage.release();
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        open.clear();
        return failed;
    }

    @Override
    public void upload(float[] src, int srcOffset, DeviceFloats dst, int count) {
        ClFloats d = (ClFloats) dst;
        write("upload", d.storage, d.offset, Pointer.to(src).withByteOffset((long) srcOffset * Sizeof.cl_float),
                count);
    }

    @Override
    public void upload(int[] src, int srcOffset, DeviceInts dst, int count) {
        ClInts d = (ClInts) dst;
        write("upload", d.storage, d.offset, Pointer.to(src).withByteOffset((long) srcOffset * Sizeof.cl_int), count);
    }

    @Override
    public void download(DeviceFloats src, float[] dst, int dstOffset) {
        ClFloats s = (ClFloats) src;
        read("download", s.storage, s.offset, Pointer.to(dst).withByteOffset((long) dstOffset * Sizeof.cl_float),
                src.length());
    }

    @Override
    public void download(DeviceInts src, int[] dst, int dstOffset) {
        ClInts s = (ClInts) src;
        read("download", s.storage, s.offset, Pointer.to(dst).withByteOffset((long) dstOffset * Sizeof.cl_int),
                src.length());
    }

    private void write(String kernel, ClStorage storage, int offset, Pointer host, long elements) {
        if (elements > 0) {
            check(kernel + ": clEnqueueWriteBuffer", CL.clEnqueueWriteBuffer(queue.queue, storage.mem(), true,
                    (long) offset * 4, elements * 4, host, 0, null, null));
        }
    }

    /** A blocking read: the in-order queue runs every kernel queued before it first. */
    void read(String kernel, ClStorage storage, int offset, Pointer host, long elements) {
        if (elements > 0) {
            check(kernel + ": clEnqueueReadBuffer", CL.clEnqueueReadBuffer(queue.queue, storage.mem(), true,
                    (long) offset * 4, elements * 4, host, 0, null, null));
        }
    }

    @Override
    public void copy(DeviceFloats src, DeviceFloats dst) {
        ClFloats s = (ClFloats) src, d = (ClFloats) dst;
        long n = src.length();
        if (n == 0 || (s.storage == d.storage && s.offset == d.offset)) {
            return;
        }
        if (s.storage == d.storage && Math.abs((long) s.offset - d.offset) < n) {
            // clEnqueueCopyBuffer refuses overlapping ranges: go through a temporary copy
            try (ClFloats tmp = scratch("copy", (int) n, false)) {
                copyBytes(s, tmp, n);
                copyBytes(tmp, d, n);
            }
            return;
        }
        copyBytes(s, d, n);
    }

    private void copyBytes(ClFloats s, ClFloats d, long n) {
        check("copy: clEnqueueCopyBuffer", CL.clEnqueueCopyBuffer(queue.queue, s.storage.mem(), d.storage.mem(),
                (long) s.offset * 4, (long) d.offset * 4, n * 4, 0, null, null));
    }

    @Override
    public void fill(DeviceFloats x, float value) {
        ClFloats b = (ClFloats) x;
        if (x.length() > 0) {
            check("fill: clEnqueueFillBuffer", CL.clEnqueueFillBuffer(queue.queue, b.storage.mem(),
                    Pointer.to(new float[] {value}), Sizeof.cl_float, (long) b.offset * 4, x.length() * 4, 0, null,
                    null));
        }
    }
}
