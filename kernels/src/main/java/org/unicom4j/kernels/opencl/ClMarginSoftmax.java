package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.Margin;

/** Launches margin_softmax.cl: per-row loss and gradient, then the mean loss reduced on the device. */
final class ClMarginSoftmax {
    private static final String[] SOURCES = {"rows.cl", "margin_softmax.cl"};
    private final ClQueue queue;
    private final int rowGroup;
    private final String options;

    ClMarginSoftmax(ClQueue queue, OpenClTuning tuning, String options) {
        this.queue = queue;
        this.rowGroup = tuning.rowGroup();
        this.options = options;
    }

    /** Writes dCos, the row losses into scratch[0..rows) and their mean into scratch[rows]. */
    void run(ClFloats cos, ClInts labels, int rows, int cols, Margin margin, ClFloats dCos, ClFloats scratch) {
        queue.launch("margin_softmax_rows", options, SOURCES).floats(cos).ints(labels).i(rows).i(cols)
                .f(margin.scale()).f(margin.angular()).f(margin.additive()).i(margin.isCosFace() ? 1 : 0)
                .floats(dCos).floats(scratch)
                .run(new long[] {(long) rows * rowGroup}, new long[] {rowGroup});
        queue.launch("mean_of", options, SOURCES).floats(scratch).i(rows).floats((ClFloats) scratch.slice(rows, 1))
                .run(new long[] {rowGroup}, new long[] {rowGroup});
    }
}
