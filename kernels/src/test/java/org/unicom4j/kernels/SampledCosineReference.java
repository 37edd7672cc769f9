package org.unicom4j.kernels;

/**
 * The sampled cosine logits the slow way, in double: gather E[:, dims] and W[classIdx][:, dims] into new
 * arrays, normalise the rows (v / max(||v||, 1e-12)), multiply, clamp; and the backward of that chain.
 * The reference the fused kernels are tested against (spec unicom.md section 3, step 3).
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

    public static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
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

    public static double[] norms(double[][] rows) {
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

    /**
     * The backward through clamp (pass-through inside [-1, 1]), the product and both normalisations,
     * scattered into full-size gradients: returns {dE [batch*embDim], dW [classes*embDim], |dE|, |dW|}, zero
     * wherever a row or dim was not sampled. |dE| and |dW| are the same sums over absolute terms: the scale
     * of float rounding error, which matters where terms cancel (a row of tiny norm gives huge terms).
     */
    public static double[][] gradients(float[] g, double[] e, int batch, int embDim, double[] w, int classes,
                                       int[] classIdx, int[] dims) {
        int cs = classIdx.length, k = dims.length;
        double[][] ev = gather(e, embDim, allRows(batch), dims), wv = gather(w, embDim, classIdx, dims);
        double[] en = norms(ev), wn = norms(wv);
        double[][] eh = normalise(ev), wh = normalise(wv);
        double[] dE = new double[batch * embDim], dW = new double[classes * embDim];
        double[] dEScale = new double[dE.length], dWScale = new double[dW.length];
        // d(e_hat)_i = sum_j g_ij w_hat_j ; d(w_hat)_j = sum_i g_ij e_hat_i ; then g_x = (g - y (y.g)) / |x|
        for (int i = 0; i < batch; i++) {
            double[] dh = new double[k], abs = new double[k];
            for (int j = 0; j < cs; j++) {
                for (int t = 0; t < k; t++) {
                    dh[t] += g[i * cs + j] * wh[j][t];
                    abs[t] += Math.abs(g[i * cs + j] * wh[j][t]);
                }
            }
            double dot = 0, absDot = 0;
            for (int t = 0; t < k; t++) {
                dot += eh[i][t] * dh[t];
                absDot += Math.abs(eh[i][t]) * abs[t];
            }
            for (int t = 0; t < k; t++) {
                dE[i * embDim + dims[t]] = (dh[t] - eh[i][t] * dot) / en[i];
                dEScale[i * embDim + dims[t]] = (abs[t] + Math.abs(eh[i][t]) * absDot) / en[i];
            }
        }
        for (int j = 0; j < cs; j++) {
            double[] dh = new double[k], abs = new double[k];
            for (int i = 0; i < batch; i++) {
                for (int t = 0; t < k; t++) {
                    dh[t] += g[i * cs + j] * eh[i][t];
                    abs[t] += Math.abs(g[i * cs + j] * eh[i][t]);
                }
            }
            double dot = 0, absDot = 0;
            for (int t = 0; t < k; t++) {
                dot += wh[j][t] * dh[t];
                absDot += Math.abs(wh[j][t]) * abs[t];
            }
            for (int t = 0; t < k; t++) {
                dW[classIdx[j] * embDim + dims[t]] = (dh[t] - wh[j][t] * dot) / wn[j];
                dWScale[classIdx[j] * embDim + dims[t]] = (abs[t] + Math.abs(wh[j][t]) * absDot) / wn[j];
            }
        }
        return new double[][] {dE, dW, dEScale, dWScale};
    }
}
