package org.unicom4j.kernels.spi;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;

/** Nearest-neighbour search pieces. See {@link org.unicom4j.kernels.Search} for the contracts. */
public interface SearchKernels {

    void topK(DeviceFloats x, int rows, int cols, int k, boolean largest, DeviceFloats values, DeviceInts indices);

    void squaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d);
}
