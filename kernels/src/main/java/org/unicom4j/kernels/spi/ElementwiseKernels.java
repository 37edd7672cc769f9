package org.unicom4j.kernels.spi;

import org.unicom4j.kernels.DeviceFloats;

/** Element-wise vector arithmetic. See {@link org.unicom4j.kernels.Elementwise} for the contracts. */
public interface ElementwiseKernels {

    void add(DeviceFloats a, DeviceFloats b, DeviceFloats out, int n);

    void scale(DeviceFloats x, float alpha, int n);

    void axpy(float alpha, DeviceFloats x, DeviceFloats y, int n);
}
