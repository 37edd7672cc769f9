package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Codebooks;

/**
 * The cosine assignment probabilities softmax_k(cos(f^m, c^m_k)), their backward and the codeword-diversity loss
 * on the CPU (see {@link org.unicom4j.kernels.Quantisation}). Per-row work is split over threads by rows, sums
 * over rows by codeword or by column, each summed by one thread in a fixed order (bit-for-bit repeatable).
 *
 * <p>One call at a time per instance (synchronized); arguments sit in fields so the parallel bodies are
 * allocated once; workspaces grow to the largest batch seen.
 */
final class CpuCosineAssignments {
    private static final float NORM_EPS = 1e-12f;
    private static final double DIVERSITY_EPS = 1e-5;

    private final ParallelLoop loop;
    private final ParallelLoop.Range forwardRows = this::forwardRows;
    private final ParallelLoop.Range backwardRows = this::backwardRows;
    private final ParallelLoop.Range backwardCodewords = this::backwardCodewords;
    private final ParallelLoop.Range diversityColumns = this::diversityColumns;
    /** dLoss/dcos per (row, book, word) and 1 / |f^m_i| per (row, book), from the backward's first pass. */
    private float[] dCos = new float[0];
    private float[] inverseNorms = new float[0];
    private double[] columnLoss = new double[0];

    // The running call (read by the parallel bodies).
    private final CodebookCall call = new CodebookCall();
    private float[] f, c, p, dp, df, dc;
    private int fo, co, po, dpo, dfo, dco, rows, books, words, dim;

    CpuCosineAssignments(ParallelLoop loop) {
        this.loop = loop;
    }

    synchronized void forward(CpuFloats features, int rows, Codebooks codebooks, CpuFloats probabilities) {
        bind(features, rows, codebooks, probabilities);
        try {
            loop.forRange(rows, 3L * books * words * dim, forwardRows);
        } finally {
            release();
        }
    }

    synchronized void backward(CpuFloats dProbabilities, CpuFloats probabilities, CpuFloats features, int rows,
                               Codebooks codebooks, CpuFloats dFeatures, CpuFloats dCodebooks) {
        bind(features, rows, codebooks, probabilities);
        dp = dProbabilities.array();
        dpo = dProbabilities.offset();
        df = dFeatures.array();
        dfo = dFeatures.offset();
        dc = dCodebooks.array();
        dco = dCodebooks.offset();
        if (dCos.length < rows * books * words) {
            dCos = new float[rows * books * words];
            inverseNorms = new float[rows * books];
        }
        try {
            loop.forRange(rows, 6L * books * words * dim, backwardRows);
            loop.forRange(books * words, 3L * rows * dim, backwardCodewords);
        } finally {
            release();
        }
    }

    synchronized float diversity(CpuFloats probabilities, int rows, int books, int words, CpuFloats dProbabilities) {
        p = probabilities.array();
        po = probabilities.offset();
        dp = dProbabilities.array();
        dpo = dProbabilities.offset();
        this.rows = rows;
        this.books = books;
        this.words = words;
        int cols = books * words;
        if (columnLoss.length < cols) {
            columnLoss = new double[cols];
        }
        try {
            loop.forRange(cols, 3L * rows, diversityColumns);
        } finally {
            release();
        }
        double loss = 0;
        for (int j = 0; j < cols; j++) {
            loss += columnLoss[j];
        }
        return (float) (loss / books);
    }

    private void bind(CpuFloats features, int rows, Codebooks codebooks, CpuFloats probabilities) {
        call.bind(features, rows, codebooks);
        f = call.f;
        fo = call.fo;
        c = call.c;
        co = call.co;
        p = probabilities.array();
        po = probabilities.offset();
        this.rows = rows;
        books = call.books;
        words = call.words;
        dim = call.dim;
    }

    private void release() {
        call.release();
        f = c = p = dp = df = dc = null;
    }

    private float inverseNorm(float[] x, int at) {
        float ss = 0;
        for (int t = 0; t < dim; t++) {
            ss = Math.fma(x[at + t], x[at + t], ss);
        }
        return 1f / Math.max((float) Math.sqrt(ss), NORM_EPS);
    }

    private float dot(int fAt, int cAt) {
        float d = 0;
        for (int t = 0; t < dim; t++) {
            d = Math.fma(f[fAt + t], c[cAt + t], d);
        }
        return d;
    }

    private void forwardRows(int from, int to) {
        for (int i = from; i < to; i++) {
            for (int m = 0; m < books; m++) {
                int fAt = fo + (i * books + m) * dim, pAt = po + (i * books + m) * words, book = co + m * words * dim;
                float fInv = inverseNorm(f, fAt), max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < words; k++) {
                    int cw = book + k * dim;
                    float cos = dot(fAt, cw) * fInv * inverseNorm(c, cw);
                    p[pAt + k] = cos;
                    max = Math.max(max, cos);
                }
                CodebookCall.softmaxInPlace(p, pAt, words, max);
            }
        }
    }

    /**
     * dcos_k = p_k (dp_k - sum_j p_j dp_j) (saved), dfh = sum_k dcos_k ch_k, and dF += (dfh - fh (fh . dfh)) / |f|.
     */
    private void backwardRows(int from, int to) {
        for (int i = from; i < to; i++) {
            for (int m = 0; m < books; m++) {
                int fAt = fo + (i * books + m) * dim, pAt = (i * books + m) * words, book = co + m * words * dim;
                int dfAt = dfo + (i * books + m) * dim;
                float mean = 0;
                for (int k = 0; k < words; k++) {
                    mean = Math.fma(p[po + pAt + k], dp[dpo + pAt + k], mean);
                }
                float fInv = inverseNorm(f, fAt);
                inverseNorms[i * books + m] = fInv;
                // dfh . fh and dfh itself: sum_k dcos_k (ch_k . fh) and sum_k dcos_k ch_k
                float along = 0;
                for (int k = 0; k < words; k++) {
                    int cw = book + k * dim;
                    float g = p[po + pAt + k] * (dp[dpo + pAt + k] - mean);
                    dCos[pAt + k] = g;
                    along = Math.fma(g * inverseNorm(c, cw), dot(fAt, cw) * fInv, along);
                }
                for (int k = 0; k < words; k++) {
                    int cw = book + k * dim;
                    float g = dCos[pAt + k] * inverseNorm(c, cw) * fInv;
                    for (int t = 0; t < dim; t++) {
                        df[dfAt + t] = Math.fma(g, c[cw + t], df[dfAt + t]);
                    }
                }
                float back = -along * fInv * fInv;
                for (int t = 0; t < dim; t++) {
                    df[dfAt + t] = Math.fma(back, f[fAt + t], df[dfAt + t]);
                }
            }
        }
    }

    /** dch_k = sum_i dcos_ik fh_i, then dc_k += (dch - ch (ch . dch)) / |c_k|. */
    private void backwardCodewords(int from, int to) {
        for (int bk = from; bk < to; bk++) {
            int m = bk / words, cw = co + bk * dim;
            float cInv = inverseNorm(c, cw);
            double along = 0;
            for (int t = 0; t < dim; t++) {
                along += sumOverRows(bk, m, t) * c[cw + t];
            }
            along *= cInv;
            for (int t = 0; t < dim; t++) {
                double dch = sumOverRows(bk, m, t);
                dc[dco + bk * dim + t] += (float) ((dch - along * c[cw + t] * cInv) * cInv);
            }
        }
    }

    /** sum_i dcos[i, m, k] fh_i[t] for codeword bk = m * words + k. */
    private double sumOverRows(int bk, int m, int t) {
        double acc = 0;
        for (int i = 0; i < rows; i++) {
            acc += (double) dCos[i * books * words + bk] * f[fo + (i * books + m) * dim + t]
                    * inverseNorms[i * books + m];
        }
        return acc;
    }

    /**
     * Column j = m * words + k: pbar, its loss term, and dp[i, j] = (log(pbar + eps) + pbar / (pbar + eps)) /
     * (books rows).
     */
    private void diversityColumns(int from, int to) {
        int cols = books * words;
        for (int j = from; j < to; j++) {
            double mean = 0;
            for (int i = 0; i < rows; i++) {
                mean += p[po + i * cols + j];
            }
            mean /= rows;
            columnLoss[j] = mean * Math.log(mean + DIVERSITY_EPS);
            float g = (float) ((Math.log(mean + DIVERSITY_EPS) + mean / (mean + DIVERSITY_EPS)) / books / rows);
            for (int i = 0; i < rows; i++) {
                dp[dpo + i * cols + j] = g;
            }
        }
    }
}
