package org.unicom4j.kernels.spi;

import org.unicom4j.kernels.DeviceFloats;

/** The two-view contrastive losses. See {@link org.unicom4j.kernels.ContrastiveLosses} for the contracts. */
public interface ContrastiveLossKernels {

    float ntXent(DeviceFloats similarities, int rows, float temperature, DeviceFloats dSimilarities);

    float viewConsistency(DeviceFloats similarities, int rows, float temperature, DeviceFloats dSimilarities);

    float neighbourConsistency(DeviceFloats similarities, int rows, int matrices, int neighbours, float temperature,
                               DeviceFloats dSimilarities);
}
