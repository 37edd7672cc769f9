package org.unicom4j.kernels.opencl;

/** Launches normalization.cl: LayerNorm, BatchNorm1d, row L2 normalisation and row softmax, with backwards. */
final class ClNormalization extends ClKernels {

    ClNormalization(ClQueue queue, OpenClTuning tuning, String options) {
        super(queue, tuning, options, "rows.cl", "normalization.cl");
    }

    void layerNorm(ClFloats x, ClFloats gamma, ClFloats beta, ClFloats y, ClFloats mean, ClFloats rstd, int rows,
                   int cols, float eps) {
        perRow(launch("layer_norm").floats(x).floats(gamma).floats(beta).floats(y).floats(mean).floats(rstd)
                .i(cols).f(eps), rows);
    }

    void layerNormBackward(ClFloats dy, ClFloats x, ClFloats gamma, ClFloats mean, ClFloats rstd, ClFloats dx,
                           ClFloats dGamma, ClFloats dBeta, int rows, int cols) {
        perRow(launch("layer_norm_backward").floats(dy).floats(x).floats(gamma).floats(mean).floats(rstd)
                .floats(dx).i(cols), rows);
        if (cols > 0) {
            launch("layer_norm_backward_params").floats(dy).floats(x).floats(mean).floats(rstd).floats(dGamma)
                    .floats(dBeta).i(rows).i(cols).run1d(cols, group);
        }
    }

    void batchNormTrain(ClFloats x, ClFloats gamma, ClFloats beta, ClFloats y, ClFloats mean, ClFloats rstd,
                        ClFloats runningMean, ClFloats runningVar, int rows, int cols, float eps, float momentum) {
        if (cols > 0) {
            launch("batch_norm_train").floats(x).floats(gamma).floats(beta).floats(y).floats(mean).floats(rstd)
                    .floats(runningMean).floats(runningVar).i(rows).i(cols).f(eps).f(momentum).run1d(cols, group);
        }
    }

    void batchNormEval(ClFloats x, ClFloats gamma, ClFloats beta, ClFloats runningMean, ClFloats runningVar,
                       ClFloats y, int rows, int cols, float eps) {
        long n = (long) rows * cols;
        if (n > 0) {
            launch("batch_norm_eval").floats(x).floats(gamma).floats(beta).floats(runningMean).floats(runningVar)
                    .floats(y).i(rows).i(cols).f(eps).run1d(n, group);
        }
    }

    void batchNormBackward(ClFloats dy, ClFloats x, ClFloats gamma, ClFloats mean, ClFloats rstd, ClFloats dx,
                           ClFloats dGamma, ClFloats dBeta, int rows, int cols) {
        if (cols > 0) {
            launch("batch_norm_backward").floats(dy).floats(x).floats(gamma).floats(mean).floats(rstd).floats(dx)
                    .floats(dGamma).floats(dBeta).i(rows).i(cols).run1d(cols, group);
        }
    }

    void l2NormalizeRows(ClFloats x, ClFloats y, ClFloats norms, int rows, int cols, float eps) {
        perRow(launch("l2_normalize_rows").floats(x).floats(y).floats(norms).i(cols).f(eps), rows);
    }

    void l2NormalizeRowsBackward(ClFloats y, ClFloats norms, ClFloats dy, ClFloats dx, int rows, int cols) {
        perRow(launch("l2_normalize_rows_backward").floats(y).floats(norms).floats(dy).floats(dx).i(cols), rows);
    }

    void softmaxRows(ClFloats x, ClFloats y, int rows, int cols, float scale) {
        perRow(launch("softmax_rows").floats(x).floats(y).i(cols).f(scale), rows);
    }

    void softmaxRowsBackward(ClFloats y, ClFloats dy, ClFloats dx, int rows, int cols, float scale) {
        perRow(launch("softmax_rows_backward").floats(y).floats(dy).floats(dx).i(cols).f(scale), rows);
    }
}
