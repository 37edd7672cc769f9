package org.unicom4j.kernels;

/**
 * The product-quantisation maps of spec sscq.md in double, written once more for the tests: the functions whose
 * central differences the backward kernels are checked against. Features [rows, books * dim], codebooks
 * [books, words, dim], probabilities [rows, books, words].
 */
final class QuantisationFormulas {
    private QuantisationFormulas() {
    }

    record Shape(int rows, int books, int words, int dim) {
        int features() {
            return rows * books * dim;
        }

        int codewords() {
            return books * words * dim;
        }

        int probabilities() {
            return rows * books * words;
        }
    }

    /** z^m_i = sum_k softmax_k(-||f^m_i - c^m_k||^2 / t) c^m_k. */
    static double[] softQuantise(double[] f, double[] c, Shape s, double t) {
        double[] z = new double[s.features()];
        for (int i = 0; i < s.rows(); i++) {
            for (int m = 0; m < s.books(); m++) {
                double[] p = new double[s.words()];
                for (int k = 0; k < s.words(); k++) {
                    double d = 0;
                    for (int u = 0; u < s.dim(); u++) {
                        double diff = f[(i * s.books() + m) * s.dim() + u] - c[(m * s.words() + k) * s.dim() + u];
                        d += diff * diff;
                    }
                    p[k] = -d / t;
                }
                softmax(p);
                for (int k = 0; k < s.words(); k++) {
                    for (int u = 0; u < s.dim(); u++) {
                        z[(i * s.books() + m) * s.dim() + u] += p[k] * c[(m * s.words() + k) * s.dim() + u];
                    }
                }
            }
        }
        return z;
    }

    /** softmax_k(cos(f^m_i, c^m_k)). */
    static double[] cosineAssignments(double[] f, double[] c, Shape s) {
        double[] out = new double[s.probabilities()];
        for (int i = 0; i < s.rows(); i++) {
            for (int m = 0; m < s.books(); m++) {
                double[] p = new double[s.words()];
                for (int k = 0; k < s.words(); k++) {
                    double dot = 0, ff = 0, cc = 0;
                    for (int u = 0; u < s.dim(); u++) {
                        double a = f[(i * s.books() + m) * s.dim() + u], b = c[(m * s.words() + k) * s.dim() + u];
                        dot += a * b;
                        ff += a * a;
                        cc += b * b;
                    }
                    p[k] = dot / (Math.max(Math.sqrt(ff), 1e-12) * Math.max(Math.sqrt(cc), 1e-12));
                }
                softmax(p);
                System.arraycopy(p, 0, out, (i * s.books() + m) * s.words(), s.words());
            }
        }
        return out;
    }

    /** (1/books) sum_m sum_k pbar log(pbar + 1e-5), pbar the mean over rows. */
    static double diversity(double[] p, int rows, int books, int words) {
        double loss = 0;
        for (int j = 0; j < books * words; j++) {
            double mean = 0;
            for (int i = 0; i < rows; i++) {
                mean += p[i * books * words + j];
            }
            mean /= rows;
            loss += mean * Math.log(mean + 1e-5);
        }
        return loss / books;
    }

    static void softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : x) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= sum;
        }
    }
}
