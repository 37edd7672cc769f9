package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.buffer;
import static org.unicom4j.kernels.ArgumentCheck.hostRange;
import static org.unicom4j.kernels.ArgumentCheck.nonNegative;

import org.unicom4j.kernels.ArgumentCheck.Shape;
import org.unicom4j.kernels.spi.BufferKernels;

/** The buffer family of a {@link Backend}: allocation, host transfers, copy and fill. */
public final class Buffers {
    private final Backend owner;
    private final BufferKernels impl;

    Buffers(Backend owner, BufferKernels impl) {
        this.owner = owner;
        this.impl = impl;
    }

    /** A zero-filled float32 buffer of {@code length} elements (at most 2^31-1). */
    public DeviceFloats allocFloats(long length) {
        checkAllocation("allocFloats", length);
        return impl.allocFloats((int) length);
    }

    /** A zero-filled int32 buffer of {@code length} elements (at most 2^31-1). */
    public DeviceInts allocInts(long length) {
        checkAllocation("allocInts", length);
        return impl.allocInts((int) length);
    }

    /** An empty {@link IndexList} able to hold {@code capacity} indices. */
    public IndexList allocIndexList(int capacity) {
        return new IndexList(this, allocInts(capacity));
    }

    /** Copies {@code dst.length()} floats from {@code src[srcOffset...]} to the device. */
    public void upload(float[] src, int srcOffset, DeviceFloats dst) {
        buffer(owner, "upload", "dst", dst, 0, Shape.ANY);
        hostRange("upload", "src", src.length, srcOffset, dst.length());
        KernelListener l = owner.started("upload");
        impl.upload(src, srcOffset, dst, (int) dst.length());
        Backend.finished(l, "upload");
    }

    public void upload(float[] src, DeviceFloats dst) {
        upload(src, 0, dst);
    }

    /** Copies {@code dst.length()} ints from {@code src[srcOffset...]} to the device. */
    public void upload(int[] src, int srcOffset, DeviceInts dst) {
        buffer(owner, "upload", "dst", dst, 0, Shape.ANY);
        hostRange("upload", "src", src.length, srcOffset, dst.length());
        uploadPrefix(src, srcOffset, dst, (int) dst.length());
    }

    public void upload(int[] src, DeviceInts dst) {
        upload(src, 0, dst);
    }

    /** src[0..count) into dst[0..count), for {@link IndexList}, which has checked the range (no view allocated). */
    void uploadPrefix(int[] src, DeviceInts dst, int count) {
        buffer(owner, "upload", "dst", dst, count, Shape.VECTOR);
        uploadPrefix(src, 0, dst, count);
    }

    private void uploadPrefix(int[] src, int srcOffset, DeviceInts dst, int count) {
        KernelListener l = owner.started("upload");
        impl.upload(src, srcOffset, dst, count);
        Backend.finished(l, "upload");
    }

    /** Copies {@code src.length()} floats from the device into {@code dst[dstOffset...]}. */
    public void download(DeviceFloats src, float[] dst, int dstOffset) {
        buffer(owner, "download", "src", src, 0, Shape.ANY);
        hostRange("download", "dst", dst.length, dstOffset, src.length());
        KernelListener l = owner.started("download");
        impl.download(src, dst, dstOffset);
        Backend.finished(l, "download");
    }

    /** A new host copy of {@code src}. */
    public float[] download(DeviceFloats src) {
        buffer(owner, "download", "src", src, 0, Shape.ANY);
        float[] out = new float[ArgumentCheck.hostLength("download", "src", src.length())];
        download(src, out, 0);
        return out;
    }

    /** Copies {@code src.length()} ints from the device into {@code dst[dstOffset...]}. */
    public void download(DeviceInts src, int[] dst, int dstOffset) {
        buffer(owner, "download", "src", src, 0, Shape.ANY);
        hostRange("download", "dst", dst.length, dstOffset, src.length());
        KernelListener l = owner.started("download");
        impl.download(src, dst, dstOffset);
        Backend.finished(l, "download");
    }

    /** A new host copy of {@code src}. */
    public int[] download(DeviceInts src) {
        buffer(owner, "download", "src", src, 0, Shape.ANY);
        int[] out = new int[ArgumentCheck.hostLength("download", "src", src.length())];
        download(src, out, 0);
        return out;
    }

    /** dst[0..src.length) = src; the two may overlap. */
    public void copy(DeviceFloats src, DeviceFloats dst) {
        buffer(owner, "copy", "src", src, 0, Shape.ANY);
        buffer(owner, "copy", "dst", dst, src.length(), Shape.VECTOR);
        KernelListener l = owner.started("copy");
        impl.copy(src, dst);
        Backend.finished(l, "copy");
    }

    /** Sets every element of {@code x} to {@code value}. */
    public void fill(DeviceFloats x, float value) {
        buffer(owner, "fill", "x", x, 0, Shape.ANY);
        KernelListener l = owner.started("fill");
        impl.fill(x, value);
        Backend.finished(l, "fill");
    }

    private static void checkAllocation(String kernel, long length) {
        nonNegative(kernel, "length", length);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": length " + length + " exceeds 2^31-1 elements");
        }
    }
}
