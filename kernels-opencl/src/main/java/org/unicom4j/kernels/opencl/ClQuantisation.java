package org.unicom4j.kernels.opencl;

import org.jocl.Pointer;
import org.unicom4j.kernels.Codebooks;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.spi.QuantisationKernels;

/**
 * The product-quantisation family on OpenCL (quantisation.cl): one work-item per (row, book) for the per-row
 * work, one per codeword (entry) for the sums over rows; the backwards pass their per-(row, book, word)
 * derivatives through a scratch buffer.
 */
final class ClQuantisation extends ClKernels implements QuantisationKernels {
    private final ClBuffers memory;

    ClQuantisation(ClQueue queue, OpenClTuning tuning, String options, ClBuffers memory) {
        super(queue, tuning, options, "rows.cl", "sums.cl", "quantisation.cl");
        this.memory = memory;
    }

    /** The launch with features, codebooks and the shape: the arguments every kernel here starts with. */
    private ClLaunch shaped(String kernel, DeviceFloats features, int rows, Codebooks c) {
        return launch(kernel).floats((ClFloats) features).floats((ClFloats) c.data()).i(rows).i(c.books())
                .i(c.words()).i(c.dim());
    }

    @Override
    public void softQuantise(DeviceFloats features, int rows, Codebooks c, float temperature,
                             DeviceFloats probabilities, DeviceFloats quantised) {
        shaped("soft_quantise", features, rows, c).f(-1f / temperature).floats((ClFloats) probabilities)
                .floats((ClFloats) quantised).run1d((long) rows * c.books(), group);
    }

    @Override
    public void softQuantiseBackward(DeviceFloats dQuantised, DeviceFloats features, DeviceFloats quantised,
                                     DeviceFloats probabilities, int rows, Codebooks c, float temperature,
                                     DeviceFloats dFeatures, DeviceFloats dCodebooks) {
        int logits = rows * c.books() * c.words();
        try (ClFloats dLogits = memory.scratch("softQuantiseBackward", logits, false)) {
            launch("soft_quantise_backward_rows").floats((ClFloats) dQuantised).floats((ClFloats) features)
                    .floats((ClFloats) quantised).floats((ClFloats) probabilities).floats((ClFloats) c.data())
                    .i(rows).i(c.books()).i(c.words()).i(c.dim()).f(-2f / temperature).floats((ClFloats) dFeatures)
                    .floats(dLogits).run1d((long) rows * c.books(), group);
            launch("soft_quantise_backward_codewords").floats((ClFloats) dQuantised).floats((ClFloats) features)
                    .floats((ClFloats) probabilities).floats(dLogits).floats((ClFloats) c.data()).i(rows)
                    .i(c.books()).i(c.words()).i(c.dim()).f(2f / temperature).floats((ClFloats) dCodebooks)
                    .run1d(c.size(), group);
        }
    }

    @Override
    public void assignCodes(DeviceFloats features, int rows, Codebooks c, DeviceInts codes) {
        shaped("assign_codes", features, rows, c).ints((ClInts) codes).run1d((long) rows * c.books(), group);
    }

    @Override
    public void cosineAssignments(DeviceFloats features, int rows, Codebooks c, DeviceFloats probabilities) {
        shaped("cosine_assignments", features, rows, c).floats((ClFloats) probabilities)
                .run1d((long) rows * c.books(), group);
    }

    @Override
    public void cosineAssignmentsBackward(DeviceFloats dProbabilities, DeviceFloats probabilities,
                                          DeviceFloats features, int rows, Codebooks c, DeviceFloats dFeatures,
                                          DeviceFloats dCodebooks) {
        int subVectors = rows * c.books(), logits = subVectors * c.words();
        try (ClFloats scratch = memory.scratch("cosineAssignmentsBackward", logits + subVectors, false)) {
            ClFloats dCos = (ClFloats) scratch.slice(0, logits);
            ClFloats inverseNorms = (ClFloats) scratch.slice(logits, subVectors);
            launch("cosine_assignments_backward_rows").floats((ClFloats) dProbabilities)
                    .floats((ClFloats) probabilities).floats((ClFloats) features).floats((ClFloats) c.data()).i(rows)
                    .i(c.books()).i(c.words()).i(c.dim()).floats((ClFloats) dFeatures).floats(dCos)
                    .floats(inverseNorms).run1d(subVectors, group);
            launch("cosine_assignments_backward_codewords").floats(dCos).floats(inverseNorms)
                    .floats((ClFloats) features).floats((ClFloats) c.data()).i(rows).i(c.books()).i(c.words())
                    .i(c.dim()).floats((ClFloats) dCodebooks).run1d((long) c.books() * c.words(), group);
        }
    }

    @Override
    public float codewordDiversity(DeviceFloats probabilities, int rows, int books, int words,
                                   DeviceFloats dProbabilities) {
        int cols = books * words;
        try (ClFloats columnLoss = memory.scratch("codewordDiversity", cols + 1, false)) {
            launch("codeword_diversity").floats((ClFloats) probabilities).i(rows).i(books).i(words)
                    .floats((ClFloats) dProbabilities).floats(columnLoss).run1d(cols, group);
            perRow(launch("scaled_sum").floats(columnLoss).i(cols).f(1f / books)
                    .floats((ClFloats) columnLoss.slice(cols, 1)), 1);
            float[] loss = new float[1];
            memory.read("codewordDiversity", columnLoss.storage, cols, Pointer.to(loss), 1);
            return loss[0];
        }
    }
}
