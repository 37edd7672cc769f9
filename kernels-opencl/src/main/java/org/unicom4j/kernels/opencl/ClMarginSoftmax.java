package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.Margin;

/**
 * Launches margin_softmax.cl: per-row loss and gradient with the mean loss reduced on the device, the per-row target
 * statistics, and sub-centre max pooling with its backward.
 */
final class ClMarginSoftmax extends ClKernels {

    ClMarginSoftmax(ClQueue queue, OpenClTuning tuning, String options) {
        super(queue, tuning, options, "rows.cl", "sums.cl", "margin_softmax.cl");
    }

    /**
     * Writes dCos, the row losses into scratch[0..rows) and their mean into scratch[rows]. Without per-row margins
     * the kernel is handed {@code cos} in their place, never read.
     */
    void run(ClFloats cos, ClInts labels, int rows, int cols, Margin margin, ClFloats rowMargins, ClFloats dCos,
             ClFloats scratch) {
        perRow(launch("margin_softmax_rows").floats(cos).ints(labels).i(rows).i(cols)
                .f(margin.scale()).f(margin.angular()).f(margin.additive()).i(margin.target().ordinal())
                .i(margin.logits().ordinal()).i(margin.gradient() == Margin.Gradient.EXACT ? 1 : 0)
                .f(margin.hardNegative()).f(margin.clampEps())
                .floats(rowMargins == null ? cos : rowMargins).i(rowMargins == null ? 0 : 1)
                .floats(dCos).floats(scratch), rows);
        perRow(launch("mean_of").floats(scratch).i(rows).floats((ClFloats) scratch.slice(rows, 1)), 1);
    }

    void targetStatistics(ClFloats cos, ClInts labels, int rows, int cols, float scale, ClFloats stats) {
        perRow(launch("target_statistics").floats(cos).ints(labels).i(cols).f(scale).floats(stats), rows);
    }

    void subCentreMax(ClFloats cosRows, int n, int k, ClFloats cos, ClInts argmax) {
        launch("sub_centre_max").floats(cosRows).i(n).i(k).floats(cos).ints(argmax).run1d(n, group);
    }

    void subCentreMaxBackward(ClFloats dCos, ClInts argmax, int n, int k, ClFloats dCosRows) {
        launch("sub_centre_max_backward").floats(dCos).ints(argmax).i(n).i(k).floats(dCosRows).run1d(n, group);
    }
}
