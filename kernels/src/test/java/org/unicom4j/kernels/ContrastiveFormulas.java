package org.unicom4j.kernels;

import java.util.Arrays;

/**
 * The two-view contrastive losses of spec sscq.md in double over a similarity matrix S [rows, rows] (views of an
 * image in rows 2i and 2i + 1), written once more for the tests: the functions central differences differentiate.
 */
final class ContrastiveFormulas {
    private ContrastiveFormulas() {
    }

    static double ntXent(double[] s, int rows, double t) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < rows; j++) {
                if (j != r) {
                    sum += Math.exp(s[r * rows + j] / t);
                }
            }
            loss += Math.log(sum) - s[r * rows + (r ^ 1)] / t;
        }
        return loss / rows;
    }

    static double viewConsistency(double[] s, int rows, double t) {
        double loss = 0;
        for (int a = 0; a < rows; a += 2) {
            int b = a + 1;
            double[] p = distribution(s, a, rows, t, a, b), q = distribution(s, b, rows, t, a, b);
            for (int j = 0; j < p.length; j++) {
                loss += (p[j] * Math.log(p[j] / q[j]) + q[j] * Math.log(q[j] / p[j])) / 2;
            }
        }
        return loss / (rows / 2);
    }

    static double neighbourConsistency(double[] s, int rows, int matrices, int neighbours, double t) {
        double loss = 0;
        for (int r = 0; r < rows * matrices; r++) {
            int self = r % rows;
            double[] others = new double[rows - 1];
            for (int j = 0, n = 0; j < rows; j++) {
                if (j != self) {
                    others[n++] = s[r * rows + j] / t;
                }
            }
            double all = 0, top = 0;
            for (double v : others) {
                all += Math.exp(v);
            }
            double[] sorted = others.clone();
            Arrays.sort(sorted);
            for (int n = 0; n < neighbours; n++) {
                top += Math.exp(sorted[sorted.length - 1 - n]);
            }
            loss += -Math.log(top / all);
        }
        return loss / (rows * matrices);
    }

    /** softmax(S[r, j] / t) over the columns j other than a and b. */
    private static double[] distribution(double[] s, int r, int rows, double t, int a, int b) {
        double[] out = new double[rows - 2];
        double sum = 0;
        for (int j = 0, n = 0; j < rows; j++) {
            if (j != a && j != b) {
                out[n] = Math.exp(s[r * rows + j] / t);
                sum += out[n++];
            }
        }
        for (int n = 0; n < out.length; n++) {
            out[n] /= sum;
        }
        return out;
    }
}
