package org.unicom4j.kernels;

/**
 * The sampled cosine logits as a function of doubles (spec unicom.md section 3, step 3): gather E[:, dims] and
 * W[classIdx][:, dims], normalise the rows (v / max(||v||, 1e-12)), multiply, clamp. What central differences
 * differentiate, and how the ND4J check gathers its operands; the kernels' oracle is the reference backend.
 */
public final class SampledCosineReference {
    public static final double EPS = 1e-12;

    private SampledCosineReference() {
    }

    /** rows[r] = src[idx[r], dims] as doubles. */
    public static double[][] gather(double[] src, int cols, int[] idx, int[] dims) {
        double[][] out = new double[idx.length][dims.length];
        for (int r = 0; r < idx.length; r++) {
            for (int t = 0; t < dims.length; t++) {
                out[r][t] = src[idx[r] * cols + dims[t]];
            }
        }
        return out;
    }

    public static int[] allRows(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    private static double[] norms(double[][] rows) {
        double[] n = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            double s = 0;
            for (double x : rows[r]) {
                s += x * x;
            }
            n[r] = Math.max(Math.sqrt(s), EPS);
        }
        return n;
    }

    public static double[][] normalise(double[][] rows) {
        double[] n = norms(rows);
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new double[rows[r].length];
            for (int t = 0; t < rows[r].length; t++) {
                out[r][t] = rows[r][t] / n[r];
            }
        }
        return out;
    }

    /** cos [batch][sampledClasses]. */
    public static double[][] cosines(double[] e, int batch, int embDim, double[] w, int[] classIdx, int[] dims) {
        double[][] eh = normalise(gather(e, embDim, allRows(batch), dims));
        double[][] wh = normalise(gather(w, embDim, classIdx, dims));
        double[][] cos = new double[batch][classIdx.length];
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < classIdx.length; j++) {
                double dot = 0;
                for (int t = 0; t < dims.length; t++) {
                    dot += eh[i][t] * wh[j][t];
                }
                cos[i][j] = Math.max(-1, Math.min(1, dot));
            }
        }
        return cos;
    }

    /** sum_ij g[i*cs + j] * cos_ij(E, W): the scalar whose gradient the backward computes. */
    public static double weightedSum(float[] g, double[] e, int batch, int embDim, double[] w, int[] classIdx,
                                     int[] dims) {
        double[][] cos = cosines(e, batch, embDim, w, classIdx, dims);
        double s = 0;
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < classIdx.length; j++) {
                s += g[i * classIdx.length + j] * cos[i][j];
            }
        }
        return s;
    }
}
