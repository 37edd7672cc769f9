package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.Margin;

/** Launches margin_softmax.cl: per-row loss and gradient, then the mean loss reduced on the device. */
final class ClMarginSoftmax extends ClKernels {

    ClMarginSoftmax(ClQueue queue, OpenClTuning tuning, String options) {
        super(queue, tuning, options, "rows.cl", "margin_softmax.cl");
    }

    /** Writes dCos, the row losses into scratch[0..rows) and their mean into scratch[rows]. */
    void run(ClFloats cos, ClInts labels, int rows, int cols, Margin margin, ClFloats dCos, ClFloats scratch) {
        perRow(launch("margin_softmax_rows").floats(cos).ints(labels).i(rows).i(cols)
                .f(margin.scale()).f(margin.angular()).f(margin.additive()).i(margin.isCosFace() ? 1 : 0)
                .floats(dCos).floats(scratch), rows);
        perRow(launch("mean_of").floats(scratch).i(rows).floats((ClFloats) scratch.slice(rows, 1)), 1);
    }
}
