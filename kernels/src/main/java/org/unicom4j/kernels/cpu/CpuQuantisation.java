package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Codebooks;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.spi.QuantisationKernels;

/** The product-quantisation family on the CPU: {@link CpuSoftQuantiser} and {@link CpuCosineAssignments}. */
final class CpuQuantisation implements QuantisationKernels {
    private final CpuSoftQuantiser quantiser;
    private final CpuCosineAssignments assignments;

    CpuQuantisation(ParallelLoop loop) {
        this.quantiser = new CpuSoftQuantiser(loop);
        this.assignments = new CpuCosineAssignments(loop);
    }

    @Override
    public void softQuantise(DeviceFloats features, int rows, Codebooks codebooks, float temperature,
                             DeviceFloats probabilities, DeviceFloats quantised) {
        quantiser.forward((CpuFloats) features, rows, codebooks, temperature, (CpuFloats) probabilities,
                (CpuFloats) quantised);
    }

    @Override
    public void softQuantiseBackward(DeviceFloats dQuantised, DeviceFloats features, DeviceFloats quantised,
                                     DeviceFloats probabilities, int rows, Codebooks codebooks, float temperature,
                                     DeviceFloats dFeatures, DeviceFloats dCodebooks) {
        quantiser.backward((CpuFloats) dQuantised, (CpuFloats) features, (CpuFloats) quantised,
                (CpuFloats) probabilities, rows, codebooks, temperature, (CpuFloats) dFeatures,
                (CpuFloats) dCodebooks);
    }

    @Override
    public void assignCodes(DeviceFloats features, int rows, Codebooks codebooks, DeviceInts codes) {
        quantiser.codes((CpuFloats) features, rows, codebooks, (CpuInts) codes);
    }

    @Override
    public void cosineAssignments(DeviceFloats features, int rows, Codebooks codebooks, DeviceFloats probabilities) {
        assignments.forward((CpuFloats) features, rows, codebooks, (CpuFloats) probabilities);
    }

    @Override
    public void cosineAssignmentsBackward(DeviceFloats dProbabilities, DeviceFloats probabilities,
                                          DeviceFloats features, int rows, Codebooks codebooks,
                                          DeviceFloats dFeatures, DeviceFloats dCodebooks) {
        assignments.backward((CpuFloats) dProbabilities, (CpuFloats) probabilities, (CpuFloats) features, rows,
                codebooks, (CpuFloats) dFeatures, (CpuFloats) dCodebooks);
    }

    @Override
    public float codewordDiversity(DeviceFloats probabilities, int rows, int books, int words,
                                   DeviceFloats dProbabilities) {
        return assignments.diversity((CpuFloats) probabilities, rows, books, words, (CpuFloats) dProbabilities);
    }
}
