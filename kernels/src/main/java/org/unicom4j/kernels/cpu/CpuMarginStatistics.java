package org.unicom4j.kernels.cpu;

/**
 * The small per-row kernels around the margin softmax (see {@link org.unicom4j.kernels.PrototypeLosses}): the target
 * statistics adaptive margins read, and sub-centre max pooling with its backward. One pass over their input each,
 * on the calling thread: they read rows x classes (x k) values once, next to a GEMM of that size times the
 * sampled dims.
 */
final class CpuMarginStatistics {
    private CpuMarginStatistics() {
    }

    /** stats[2r] = cos[r, y], stats[2r + 1] = log sum_{j != y} exp(scale cos[r, j]). */
    static void targetStatistics(CpuFloats cos, int rows, int cols, CpuInts labels, float scale, CpuFloats stats) {
        float[] c = cos.array(), out = stats.array();
        int[] y = labels.array();
        for (int r = 0; r < rows; r++) {
            int base = cos.offset() + r * cols, label = y[labels.offset() + r];
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = j == label ? max : Math.max(max, scale * c[base + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += j == label ? 0 : Math.exp((double) scale * c[base + j] - max);
            }
            out[stats.offset() + 2 * r] = c[base + label];
            out[stats.offset() + 2 * r + 1] = cols == 1 ? Float.NEGATIVE_INFINITY : (float) (max + Math.log(sum));
        }
    }

    static void subCentreMax(CpuFloats cosRows, int rows, int classes, int k, CpuFloats cos, CpuInts argmax) {
        float[] in = cosRows.array(), out = cos.array();
        int[] arg = argmax.array();
        int n = rows * classes;
        for (int i = 0; i < n; i++) {
            int from = cosRows.offset() + i * k, best = 0;
            for (int s = 1; s < k; s++) {
                best = in[from + s] > in[from + best] ? s : best;
            }
            out[cos.offset() + i] = in[from + best];
            arg[argmax.offset() + i] = best;
        }
    }

    static void subCentreMaxBackward(CpuFloats dCos, CpuInts argmax, int rows, int classes, int k,
                                     CpuFloats dCosRows) {
        float[] g = dCos.array(), out = dCosRows.array();
        int[] arg = argmax.array();
        int n = rows * classes;
        for (int i = 0; i < n; i++) {
            int to = dCosRows.offset() + i * k, best = arg[argmax.offset() + i];
            for (int s = 0; s < k; s++) {
                out[to + s] = s == best ? g[dCos.offset() + i] : 0f;
            }
        }
    }
}
