package org.unicom4j.kernels.opencl;

/** Launches reductions.cl: top-k and the pieces of the squared-L2 distances. */
final class ClReductions extends ClKernels {

    ClReductions(ClQueue queue, OpenClTuning tuning, String options) {
        super(queue, tuning, options, "rows.cl", "reductions.cl");
    }

    void topK(ClFloats x, int rows, int cols, int k, boolean largest, ClFloats values, ClInts indices) {
        // one work-item walking the row keeps a sorted list; a work-group does k rounds of arg-best instead
        String kernel = rowGroup == 1 ? "topk_insert" : "topk_select";
        perRow(launch(kernel).floats(x).i(cols).i(k).i(largest ? 1 : 0).floats(values).ints(indices), rows);
    }

    void squaredNorms(ClFloats x, ClFloats out, int rows, int cols) {
        perRow(launch("squared_norms").floats(x).floats(out).i(cols), rows);
    }

    void addNormsClamp(ClFloats out, ClFloats xNorms, ClFloats yNorms, int n, int m) {
        launch("add_norms_clamp").floats(out).floats(xNorms).floats(yNorms).i(n).i(m).run1d((long) n * m, group);
    }
}
