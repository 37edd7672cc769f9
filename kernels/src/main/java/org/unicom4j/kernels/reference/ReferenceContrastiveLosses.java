package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.ContrastiveLossKernels;

/**
 * The two-view contrastive losses written from the spec (sscq.md, losses 1-3) in double: each row's log-softmax
 * over the columns that count, the loss, and its derivative by the chain rule through the softmax. The views of
 * an image are rows 2i and 2i + 1.
 */
final class ReferenceContrastiveLosses implements ContrastiveLossKernels {

    /** dS[r, j] = (softmax_j - [j = p(r)]) / (t rows) over j != r. */
    @Override
    public float ntXent(DeviceFloats similarities, int rows, float temperature, DeviceFloats dSimilarities) {
        HostFloats s = new HostFloats(similarities), ds = new HostFloats(dSimilarities);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int partner = r ^ 1;
            double[] logits = row(s, r, rows, temperature);
            logits[r] = Double.NEGATIVE_INFINITY;
            double positive = logits[partner];
            double lse = logSumExp(logits);
            loss += lse - positive;
            for (int j = 0; j < rows; j++) {
                double p = j == r ? 0 : Math.exp(logits[j] - lse);
                ds.set((long) r * rows + j, (p - (j == partner ? 1 : 0)) / ((double) temperature * rows));
            }
        }
        return (float) (loss / rows);
    }

    /**
     * With D = log P - log Q over the shared columns: dL/d(S[a]/t) = (P (D - KL(P||Q)) + P - Q) / 2 and
     * dL/d(S[b]/t) = (Q (-D - KL(Q||P)) + Q - P) / 2, divided by the number of pairs.
     */
    @Override
    public float viewConsistency(DeviceFloats similarities, int rows, float temperature, DeviceFloats dSimilarities) {
        HostFloats s = new HostFloats(similarities), ds = new HostFloats(dSimilarities);
        int pairs = rows / 2;
        double loss = 0;
        for (int i = 0; i < pairs; i++) {
            int a = 2 * i, b = a + 1;
            double[] logP = row(s, a, rows, temperature), logQ = row(s, b, rows, temperature);
            logP[a] = logP[b] = logQ[a] = logQ[b] = Double.NEGATIVE_INFINITY;
            double lseP = logSumExp(logP), lseQ = logSumExp(logQ), klPQ = 0, klQP = 0;
            for (int j = 0; j < rows; j++) {
                if (j != a && j != b) {
                    logP[j] -= lseP;
                    logQ[j] -= lseQ;
                    klPQ += Math.exp(logP[j]) * (logP[j] - logQ[j]);
                    klQP += Math.exp(logQ[j]) * (logQ[j] - logP[j]);
                }
            }
            loss += (klPQ + klQP) / 2;
            double scale = 1 / (2.0 * temperature * pairs);
            for (int j = 0; j < rows; j++) {
                double ga = 0, gb = 0;
                if (j != a && j != b) {
                    double p = Math.exp(logP[j]), q = Math.exp(logQ[j]), d = logP[j] - logQ[j];
                    ga = p * (d - klPQ) + p - q;
                    gb = q * (-d - klQP) + q - p;
                }
                ds.set((long) a * rows + j, ga * scale);
                ds.set((long) b * rows + j, gb * scale);
            }
        }
        return (float) (loss / pairs);
    }

    /** dS[r, j] = (softmax_all_j - [j in T] softmax_T_j) / (t rows matrices) over j != r. */
    @Override
    public float neighbourConsistency(DeviceFloats similarities, int rows, int matrices, int neighbours,
                                      float temperature, DeviceFloats dSimilarities) {
        HostFloats s = new HostFloats(similarities), ds = new HostFloats(dSimilarities);
        double loss = 0, scale = 1.0 / ((double) temperature * rows * matrices);
        for (int r = 0; r < matrices * rows; r++) {
            int self = r % rows;
            double[] logits = row(s, r, rows, temperature);
            logits[self] = Double.NEGATIVE_INFINITY;
            boolean[] top = topColumns(logits, neighbours);
            double[] inTop = new double[rows];
            for (int j = 0; j < rows; j++) {
                inTop[j] = top[j] ? logits[j] : Double.NEGATIVE_INFINITY;
            }
            double lseAll = logSumExp(logits), lseTop = logSumExp(inTop);
            loss += lseAll - lseTop;
            for (int j = 0; j < rows; j++) {
                double g = j == self ? 0 : Math.exp(logits[j] - lseAll) - (top[j] ? Math.exp(logits[j] - lseTop) : 0);
                ds.set((long) r * rows + j, g * scale);
            }
        }
        return (float) (loss / ((double) rows * matrices));
    }

    /** The {@code count} largest finite entries, the lower index first among equals. */
    private static boolean[] topColumns(double[] logits, int count) {
        boolean[] top = new boolean[logits.length];
        for (int n = 0; n < count; n++) {
            int best = -1;
            for (int j = 0; j < logits.length; j++) {
                if (!top[j] && logits[j] != Double.NEGATIVE_INFINITY && (best < 0 || logits[j] > logits[best])) {
                    best = j;
                }
            }
            top[best] = true;
        }
        return top;
    }

    /** S[r, :] / t as doubles. */
    private static double[] row(HostFloats s, int r, int cols, float temperature) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            out[j] = s.get((long) r * cols + j) / temperature;
        }
        return out;
    }

    private static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : x) {
            max = Math.max(max, v);
        }
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
