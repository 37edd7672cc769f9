package org.unicom4j.kernels.spi;

import org.unicom4j.kernels.Codebooks;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;

/** The product-quantisation family. See {@link org.unicom4j.kernels.Quantisation} for the contracts. */
public interface QuantisationKernels {

    void softQuantise(DeviceFloats features, int rows, Codebooks codebooks, float temperature,
                      DeviceFloats probabilities, DeviceFloats quantised);

    void softQuantiseBackward(DeviceFloats dQuantised, DeviceFloats features, DeviceFloats quantised,
                              DeviceFloats probabilities, int rows, Codebooks codebooks, float temperature,
                              DeviceFloats dFeatures, DeviceFloats dCodebooks);

    void assignCodes(DeviceFloats features, int rows, Codebooks codebooks, DeviceInts codes);

    void cosineAssignments(DeviceFloats features, int rows, Codebooks codebooks, DeviceFloats probabilities);

    void cosineAssignmentsBackward(DeviceFloats dProbabilities, DeviceFloats probabilities, DeviceFloats features,
                                   int rows, Codebooks codebooks, DeviceFloats dFeatures, DeviceFloats dCodebooks);

    float codewordDiversity(DeviceFloats probabilities, int rows, int books, int words, DeviceFloats dProbabilities);
}
