package org.unicom4j.kernels.spi;

import org.unicom4j.kernels.DeviceFloats;

/** Optimiser updates. See {@link org.unicom4j.kernels.Optimisers} for the contract. */
public interface OptimiserKernels {

    void adamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n, float lr, float beta1,
               float beta2, float eps, float weightDecay, int step);
}
