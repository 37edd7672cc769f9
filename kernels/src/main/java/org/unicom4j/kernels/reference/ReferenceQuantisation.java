package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.Codebooks;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.spi.QuantisationKernels;

/**
 * Product quantisation written from the spec (sscq.md) in double, one sub-vector at a time: distances to every
 * codeword, the softmax, the weighted sum; the backward by the chain rule through each of them.
 */
final class ReferenceQuantisation implements QuantisationKernels {
    private static final double NORM_EPS = 1e-12;
    private static final double DIVERSITY_EPS = 1e-5;

    @Override
    public void softQuantise(DeviceFloats features, int rows, Codebooks c, float temperature,
                             DeviceFloats probabilities, DeviceFloats quantised) {
        SubVectors s = new SubVectors(features, c);
        HostFloats p = new HostFloats(probabilities), z = new HostFloats(quantised);
        for (int i = 0; i < rows; i++) {
            for (int m = 0; m < c.books(); m++) {
                double[] logits = new double[c.words()];
                for (int k = 0; k < c.words(); k++) {
                    logits[k] = -s.squaredDistance(i, m, k) / temperature;
                }
                ReferenceAttention.softmax(logits);
                for (int t = 0; t < c.dim(); t++) {
                    double v = 0;
                    for (int k = 0; k < c.words(); k++) {
                        v += logits[k] * s.codeword(m, k, t);
                    }
                    z.set(s.featureIndex(i, m, t), v);
                }
                for (int k = 0; k < c.words(); k++) {
                    p.set(s.probabilityIndex(i, m, k), logits[k]);
                }
            }
        }
    }

    /**
     * With a_k = -||f - c_k||^2 / t: dp_k = dz . c_k, da_k = p_k (dp_k - sum_j p_j dp_j), and
     * df = sum_k da_k (-2 / t) (f - c_k), dc_k = p_k dz + da_k (2 / t) (f - c_k) summed over the rows.
     */
    @Override
    public void softQuantiseBackward(DeviceFloats dQuantised, DeviceFloats features, DeviceFloats quantised,
                                     DeviceFloats probabilities, int rows, Codebooks c, float temperature,
                                     DeviceFloats dFeatures, DeviceFloats dCodebooks) {
        SubVectors s = new SubVectors(features, c);
        HostFloats dz = new HostFloats(dQuantised), p = new HostFloats(probabilities);
        HostFloats df = new HostFloats(dFeatures), dc = new HostFloats(dCodebooks);
        double[][][] codebookGradient = new double[c.books()][c.words()][c.dim()];
        for (int i = 0; i < rows; i++) {
            for (int m = 0; m < c.books(); m++) {
                double[] dp = new double[c.words()];
                double mean = 0;
                for (int k = 0; k < c.words(); k++) {
                    for (int t = 0; t < c.dim(); t++) {
                        dp[k] += dz.get(s.featureIndex(i, m, t)) * s.codeword(m, k, t);
                    }
                    mean += p.get(s.probabilityIndex(i, m, k)) * dp[k];
                }
                double[] dfi = new double[c.dim()];
                for (int k = 0; k < c.words(); k++) {
                    double pk = p.get(s.probabilityIndex(i, m, k));
                    double da = pk * (dp[k] - mean);
                    for (int t = 0; t < c.dim(); t++) {
                        double diff = s.feature(i, m, t) - s.codeword(m, k, t);
                        dfi[t] += da * (-2 / (double) temperature) * diff;
                        codebookGradient[m][k][t] += pk * dz.get(s.featureIndex(i, m, t))
                                + da * (2 / (double) temperature) * diff;
                    }
                }
                for (int t = 0; t < c.dim(); t++) {
                    df.add(s.featureIndex(i, m, t), dfi[t]);
                }
            }
        }
        addCodebookGradient(dc, c, codebookGradient);
    }

    @Override
    public void assignCodes(DeviceFloats features, int rows, Codebooks c, DeviceInts codes) {
        SubVectors s = new SubVectors(features, c);
        HostInts out = new HostInts(codes);
        for (int i = 0; i < rows; i++) {
            for (int m = 0; m < c.books(); m++) {
                int best = 0;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int k = 0; k < c.words(); k++) {
                    double d = s.squaredDistance(i, m, k);
                    if (d < bestDistance) {
                        best = k;
                        bestDistance = d;
                    }
                }
                out.set((long) i * c.books() + m, best);
            }
        }
    }

    @Override
    public void cosineAssignments(DeviceFloats features, int rows, Codebooks c, DeviceFloats probabilities) {
        SubVectors s = new SubVectors(features, c);
        HostFloats p = new HostFloats(probabilities);
        for (int i = 0; i < rows; i++) {
            for (int m = 0; m < c.books(); m++) {
                double[] cos = new double[c.words()];
                for (int k = 0; k < c.words(); k++) {
                    cos[k] = s.cosine(i, m, k);
                }
                ReferenceAttention.softmax(cos);
                for (int k = 0; k < c.words(); k++) {
                    p.set(s.probabilityIndex(i, m, k), cos[k]);
                }
            }
        }
    }

    /**
     * dcos_k = p_k (dp_k - sum_j p_j dp_j); through cos_k = fh . ch_k with fh = f / |f|, ch = c / |c|:
     * dfh = sum_k dcos_k ch_k, dch_k = dcos_k fh, and dx = (dxh - xh (xh . dxh)) / |x|.
     */
    @Override
    public void cosineAssignmentsBackward(DeviceFloats dProbabilities, DeviceFloats probabilities,
                                          DeviceFloats features, int rows, Codebooks c, DeviceFloats dFeatures,
                                          DeviceFloats dCodebooks) {
        SubVectors s = new SubVectors(features, c);
        HostFloats dp = new HostFloats(dProbabilities), p = new HostFloats(probabilities);
        HostFloats df = new HostFloats(dFeatures), dc = new HostFloats(dCodebooks);
        double[][][] dch = new double[c.books()][c.words()][c.dim()];
        for (int i = 0; i < rows; i++) {
            for (int m = 0; m < c.books(); m++) {
                double mean = 0;
                for (int k = 0; k < c.words(); k++) {
                    int at = s.probabilityIndex(i, m, k);
                    mean += p.get(at) * dp.get(at);
                }
                double[] fh = s.unitFeature(i, m);
                double[] dfh = new double[c.dim()];
                for (int k = 0; k < c.words(); k++) {
                    int at = s.probabilityIndex(i, m, k);
                    double dcos = p.get(at) * (dp.get(at) - mean);
                    double[] ch = s.unitCodeword(m, k);
                    for (int t = 0; t < c.dim(); t++) {
                        dfh[t] += dcos * ch[t];
                        dch[m][k][t] += dcos * fh[t];
                    }
                }
                double[] dfi = projectOut(fh, dfh, s.featureNorm(i, m));
                for (int t = 0; t < c.dim(); t++) {
                    df.add(s.featureIndex(i, m, t), dfi[t]);
                }
            }
        }
        double[][][] codebookGradient = new double[c.books()][c.words()][];
        for (int m = 0; m < c.books(); m++) {
            for (int k = 0; k < c.words(); k++) {
                codebookGradient[m][k] = projectOut(s.unitCodeword(m, k), dch[m][k], s.codewordNorm(m, k));
            }
        }
        addCodebookGradient(dc, c, codebookGradient);
    }

    /** dL/dpbar = (log(pbar + eps) + pbar / (pbar + eps)) / books, and dp[i] = dL/dpbar / rows. */
    @Override
    public float codewordDiversity(DeviceFloats probabilities, int rows, int books, int words,
                                   DeviceFloats dProbabilities) {
        HostFloats p = new HostFloats(probabilities), dp = new HostFloats(dProbabilities);
        int cols = books * words;
        double loss = 0;
        for (int j = 0; j < cols; j++) {
            double mean = 0;
            for (int i = 0; i < rows; i++) {
                mean += p.get((long) i * cols + j);
            }
            mean /= rows;
            loss += mean * Math.log(mean + DIVERSITY_EPS);
            double g = (Math.log(mean + DIVERSITY_EPS) + mean / (mean + DIVERSITY_EPS)) / books / rows;
            for (int i = 0; i < rows; i++) {
                dp.set((long) i * cols + j, g);
            }
        }
        return (float) (loss / books);
    }

    private static void addCodebookGradient(HostFloats dc, Codebooks c, double[][][] gradient) {
        for (int m = 0; m < c.books(); m++) {
            for (int k = 0; k < c.words(); k++) {
                for (int t = 0; t < c.dim(); t++) {
                    dc.add(((long) m * c.words() + k) * c.dim() + t, gradient[m][k][t]);
                }
            }
        }
    }

    /** (d - xh (xh . d)) / norm: the gradient through x -> x / max(|x|, eps). */
    private static double[] projectOut(double[] xh, double[] d, double norm) {
        double dot = 0;
        for (int t = 0; t < d.length; t++) {
            dot += xh[t] * d[t];
        }
        double[] out = new double[d.length];
        for (int t = 0; t < d.length; t++) {
            out[t] = (d[t] - xh[t] * dot) / norm;
        }
        return out;
    }

    /** Element access to the features' sub-vectors and the codewords. */
    private static final class SubVectors {
        private final HostFloats f;
        private final HostFloats cw;
        private final Codebooks c;

        SubVectors(DeviceFloats features, Codebooks c) {
            this.f = new HostFloats(features);
            this.cw = new HostFloats(c.data());
            this.c = c;
        }

        int featureIndex(int i, int m, int t) {
            return (i * c.books() + m) * c.dim() + t;
        }

        int probabilityIndex(int i, int m, int k) {
            return (i * c.books() + m) * c.words() + k;
        }

        double feature(int i, int m, int t) {
            return f.get(featureIndex(i, m, t));
        }

        double codeword(int m, int k, int t) {
            return cw.get(((long) m * c.words() + k) * c.dim() + t);
        }

        double squaredDistance(int i, int m, int k) {
            double d = 0;
            for (int t = 0; t < c.dim(); t++) {
                double diff = feature(i, m, t) - codeword(m, k, t);
                d += diff * diff;
            }
            return d;
        }

        double featureNorm(int i, int m) {
            double ss = 0;
            for (int t = 0; t < c.dim(); t++) {
                ss += feature(i, m, t) * feature(i, m, t);
            }
            return Math.max(Math.sqrt(ss), NORM_EPS);
        }

        double codewordNorm(int m, int k) {
            double ss = 0;
            for (int t = 0; t < c.dim(); t++) {
                ss += codeword(m, k, t) * codeword(m, k, t);
            }
            return Math.max(Math.sqrt(ss), NORM_EPS);
        }

        double[] unitFeature(int i, int m) {
            double n = featureNorm(i, m);
            double[] out = new double[c.dim()];
            for (int t = 0; t < c.dim(); t++) {
                out[t] = feature(i, m, t) / n;
            }
            return out;
        }

        double[] unitCodeword(int m, int k) {
            double n = codewordNorm(m, k);
            double[] out = new double[c.dim()];
            for (int t = 0; t < c.dim(); t++) {
                out[t] = codeword(m, k, t) / n;
            }
            return out;
        }

        double cosine(int i, int m, int k) {
            double[] fh = unitFeature(i, m), ch = unitCodeword(m, k);
            double dot = 0;
            for (int t = 0; t < c.dim(); t++) {
                dot += fh[t] * ch[t];
            }
            return dot;
        }
    }
}
