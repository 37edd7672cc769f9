package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.SampledPrototypes;
import org.unicom4j.kernels.spi.PrototypeLossKernels;

/**
 * The sampled-prototype loss the slow way (spec unicom.md section 3): gather E[:, dims] and W[classes][:, dims],
 * normalise the rows (v / max(||v||, 1e-12)), multiply, clamp to [-1, 1]; the backward of that chain (passing
 * through the clamp) from the saved norms; the margin softmax family is {@link ReferenceMarginSoftmax}.
 */
final class ReferencePrototypeLosses implements PrototypeLossKernels {
    private static final double NORM_EPS = 1e-12;

    @Override
    public void sampledCosineLogits(DeviceFloats embeddings, int batch, SampledPrototypes s, DeviceFloats cos) {
        Gathered g = new Gathered(embeddings, batch, s);
        HostFloats en = new HostFloats(s.embeddingNorms()), wn = new HostFloats(s.prototypeNorms());
        HostFloats out = new HostFloats(cos);
        double[] eNorm = norms(g.e), wNorm = norms(g.w);
        for (int i = 0; i < batch; i++) {
            en.set(i, eNorm[i]);
            for (int j = 0; j < g.w.length; j++) {
                double dot = 0;
                for (int t = 0; t < g.e[i].length; t++) {
                    dot += g.e[i][t] * g.w[j][t];
                }
                out.set((long) i * g.w.length + j, Math.max(-1, Math.min(1, dot / (eNorm[i] * wNorm[j]))));
            }
        }
        for (int j = 0; j < g.w.length; j++) {
            wn.set(j, wNorm[j]);
        }
    }

    /**
     * With x_hat = x / |x| from the saved norms: d(e_hat)_i = sum_j dCos_ij w_hat_j, d(w_hat)_j = sum_i dCos_ij
     * e_hat_i, and d x = (d x_hat - x_hat (x_hat . d x_hat)) / |x|, added into the sampled entries.
     */
    @Override
    public void sampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats embeddings, int batch,
                                            SampledPrototypes s, DeviceFloats dEmbeddings, DeviceFloats dPrototypes) {
        Gathered g = new Gathered(embeddings, batch, s);
        HostFloats gc = new HostFloats(dCos), en = new HostFloats(s.embeddingNorms());
        HostFloats wn = new HostFloats(s.prototypeNorms());
        int sampled = g.w.length, k = g.dims.length, embDim = s.prototypes().cols();
        double[][] eh = scaled(g.e, en), wh = scaled(g.w, wn);
        HostFloats dE = new HostFloats(dEmbeddings), dW = new HostFloats(dPrototypes);
        for (int i = 0; i < batch; i++) {
            double[] d = new double[k];
            for (int j = 0; j < sampled; j++) {
                axpy(gc.get((long) i * sampled + j), wh[j], d);
            }
            scatter(dE, (long) i * embDim, g.dims, projectOut(eh[i], d, en.get(i)));
        }
        for (int j = 0; j < sampled; j++) {
            double[] d = new double[k];
            for (int i = 0; i < batch; i++) {
                axpy(gc.get((long) i * sampled + j), eh[i], d);
            }
            scatter(dW, (long) g.classes[j] * embDim, g.dims, projectOut(wh[j], d, wn.get(j)));
        }
    }

    @Override
    public float marginSoftmaxLoss(DeviceFloats cos, int rows, int cols, IndexList labels, Margin margin,
                                   DeviceFloats rowMargins, DeviceFloats dCos) {
        return ReferenceMarginSoftmax.loss(cos, rows, cols, labels, margin, rowMargins, dCos);
    }

    @Override
    public void targetStatistics(DeviceFloats cos, int rows, int cols, IndexList labels, float scale,
                                 DeviceFloats stats) {
        ReferenceMarginSoftmax.targetStatistics(cos, rows, cols, labels, scale, stats);
    }

    @Override
    public void subCentreMax(DeviceFloats cosRows, int rows, int classes, int k, DeviceFloats cos,
                             DeviceInts argmax) {
        ReferenceMarginSoftmax.subCentreMax(cosRows, rows, classes, k, cos, argmax);
    }

    @Override
    public void subCentreMaxBackward(DeviceFloats dCos, DeviceInts argmax, int rows, int classes, int k,
                                     DeviceFloats dCosRows) {
        ReferenceMarginSoftmax.subCentreMaxBackward(dCos, argmax, rows, classes, k, dCosRows);
    }

    /** E[:, dims] and W[classes][:, dims] as double rows, with the index lists read back. */
    private static final class Gathered {
        final int[] classes;
        final int[] dims;
        final double[][] e;
        final double[][] w;

        Gathered(DeviceFloats embeddings, int batch, SampledPrototypes s) {
            classes = read(s.classes());
            dims = read(s.dims());
            int embDim = s.prototypes().cols();
            HostFloats ev = new HostFloats(embeddings), wv = new HostFloats(s.prototypes().data());
            e = new double[batch][dims.length];
            w = new double[classes.length][dims.length];
            for (int t = 0; t < dims.length; t++) {
                for (int i = 0; i < batch; i++) {
                    e[i][t] = ev.get((long) i * embDim + dims[t]);
                }
                for (int j = 0; j < classes.length; j++) {
                    w[j][t] = wv.get((long) classes[j] * embDim + dims[t]);
                }
            }
        }

        private static int[] read(IndexList list) {
            HostInts v = new HostInts(list.ints());
            int[] out = new int[list.count()];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.get(i);
            }
            return out;
        }
    }

    private static double[] norms(double[][] rows) {
        double[] n = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            double ss = 0;
            for (double x : rows[r]) {
                ss += x * x;
            }
            n[r] = Math.max(Math.sqrt(ss), NORM_EPS);
        }
        return n;
    }

    /** rows[r] / norms[r]. */
    private static double[][] scaled(double[][] rows, HostFloats norms) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new double[rows[r].length];
            for (int t = 0; t < rows[r].length; t++) {
                out[r][t] = rows[r][t] / norms.get(r);
            }
        }
        return out;
    }

    /** (d - xHat (xHat . d)) / norm: the gradient through x -> x / |x|. */
    private static double[] projectOut(double[] xHat, double[] d, double norm) {
        double dot = 0;
        for (int t = 0; t < d.length; t++) {
            dot += xHat[t] * d[t];
        }
        double[] out = new double[d.length];
        for (int t = 0; t < d.length; t++) {
            out[t] = (d[t] - xHat[t] * dot) / norm;
        }
        return out;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int t = 0; t < x.length; t++) {
            y[t] += a * x[t];
        }
    }

    /** target[base + dims[t]] += values[t]. */
    private static void scatter(HostFloats target, long base, int[] dims, double[] values) {
        for (int t = 0; t < dims.length; t++) {
            target.add(base + dims[t], values[t]);
        }
    }
}
