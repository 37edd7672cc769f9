package org.unicom4j.kernels.spi;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.SampledPrototypes;

/** The sampled-prototype margin softmax family. See {@link org.unicom4j.kernels.PrototypeLosses} for the contracts. */
public interface PrototypeLossKernels {

    void sampledCosineLogits(DeviceFloats embeddings, int batch, SampledPrototypes sample, DeviceFloats cos);

    void sampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats embeddings, int batch,
                                     SampledPrototypes sample, DeviceFloats dEmbeddings, DeviceFloats dPrototypes);

    /** {@code rowMargins} may be null. */
    float marginSoftmaxLoss(DeviceFloats cos, int rows, int cols, IndexList labels, Margin margin,
                            DeviceFloats rowMargins, DeviceFloats dCos);

    void targetStatistics(DeviceFloats cos, int rows, int cols, IndexList labels, float scale, DeviceFloats stats);

    void subCentreMax(DeviceFloats cosRows, int rows, int classes, int k, DeviceFloats cos, DeviceInts argmax);

    void subCentreMaxBackward(DeviceFloats dCos, DeviceInts argmax, int rows, int classes, int k,
                              DeviceFloats dCosRows);
}
