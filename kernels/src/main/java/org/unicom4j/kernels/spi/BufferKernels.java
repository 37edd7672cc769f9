package org.unicom4j.kernels.spi;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;

/** Buffers: allocation and host transfers. See {@link org.unicom4j.kernels.Buffers} for the contracts. */
public interface BufferKernels {

    /** A zero-filled buffer owned by this backend. */
    DeviceFloats allocFloats(int length);

    DeviceInts allocInts(int length);

    /** Copies {@code count} floats from src[srcOffset...] into dst[0..count). */
    void upload(float[] src, int srcOffset, DeviceFloats dst, int count);

    void upload(int[] src, int srcOffset, DeviceInts dst, int count);

    /** Copies all of src into dst[dstOffset...]; waits for the kernels queued before it. */
    void download(DeviceFloats src, float[] dst, int dstOffset);

    void download(DeviceInts src, int[] dst, int dstOffset);

    /** dst[0..src.length) = src; the two may overlap. */
    void copy(DeviceFloats src, DeviceFloats dst);

    void fill(DeviceFloats x, float value);
}
