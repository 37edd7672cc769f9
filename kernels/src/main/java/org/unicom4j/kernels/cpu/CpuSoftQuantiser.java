package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Codebooks;

/**
 * The soft quantiser and the hard codes on the CPU (see {@link org.unicom4j.kernels.Quantisation}). Rows are
 * split over threads for everything per row; the codebook gradient, a sum over rows, is split by codeword, so
 * every output is summed by one thread in a fixed order and a run repeats bit for bit on any thread count.
 *
 * <p>One call at a time per instance (synchronized); the running call's arguments sit in fields so the
 * parallel bodies are allocated once, and the backward keeps dLoss/dLogits of every (row, book, word) in a
 * workspace that grows to the largest batch seen.
 */
final class CpuSoftQuantiser {
    private final ParallelLoop loop;
    private final ParallelLoop.Range forwardRows = this::forwardRows;
    private final ParallelLoop.Range codeRows = this::codeRows;
    private final ParallelLoop.Range backwardRows = this::backwardRows;
    private final ParallelLoop.Range backwardCodewords = this::backwardCodewords;
    private float[] dLogits = new float[0];

    // The running call (read by the parallel bodies).
    private final CodebookCall call = new CodebookCall();
    private float[] f, c, p, z, dz, df, dc;
    private int[] codes;
    private int fo, co, po, zo, dzo, dfo, dco, codeOff, rows, books, words, dim;
    private float temperature;

    CpuSoftQuantiser(ParallelLoop loop) {
        this.loop = loop;
    }

    synchronized void forward(CpuFloats features, int rows, Codebooks codebooks, float temperature,
                              CpuFloats probabilities, CpuFloats quantised) {
        bind(features, rows, codebooks, temperature);
        p = probabilities.array();
        po = probabilities.offset();
        z = quantised.array();
        zo = quantised.offset();
        try {
            loop.forRange(rows, 4L * books * words * dim, forwardRows);
        } finally {
            release();
        }
    }

    synchronized void codes(CpuFloats features, int rows, Codebooks codebooks, CpuInts out) {
        bind(features, rows, codebooks, 1f);
        codes = out.array();
        codeOff = out.offset();
        try {
            loop.forRange(rows, 3L * books * words * dim, codeRows);
        } finally {
            release();
        }
    }

    synchronized void backward(CpuFloats dQuantised, CpuFloats features, CpuFloats quantised,
                               CpuFloats probabilities, int rows, Codebooks codebooks, float temperature,
                               CpuFloats dFeatures, CpuFloats dCodebooks) {
        bind(features, rows, codebooks, temperature);
        dz = dQuantised.array();
        dzo = dQuantised.offset();
        z = quantised.array();
        zo = quantised.offset();
        p = probabilities.array();
        po = probabilities.offset();
        df = dFeatures.array();
        dfo = dFeatures.offset();
        dc = dCodebooks.array();
        dco = dCodebooks.offset();
        int logits = rows * books * words;
        if (dLogits.length < logits) {
            dLogits = new float[logits];
        }
        try {
            loop.forRange(rows, 6L * books * words * dim, backwardRows);
            loop.forRange(books * words, 4L * rows * dim, backwardCodewords);
        } finally {
            release();
        }
    }

    private void bind(CpuFloats features, int rows, Codebooks codebooks, float temperature) {
        call.bind(features, rows, codebooks);
        f = call.f;
        fo = call.fo;
        c = call.c;
        co = call.co;
        this.rows = rows;
        books = call.books;
        words = call.words;
        dim = call.dim;
        this.temperature = temperature;
    }

    private void release() {
        call.release();
        f = c = p = z = dz = df = dc = null;
        codes = null;
    }

    /** ||f[fAt..] - c[cAt..]||^2 over dim floats. */
    private float squaredDistance(int fAt, int cAt) {
        float d = 0;
        for (int t = 0; t < dim; t++) {
            float diff = f[fAt + t] - c[cAt + t];
            d = Math.fma(diff, diff, d);
        }
        return d;
    }

    private void forwardRows(int from, int to) {
        float scale = -1f / temperature;
        for (int i = from; i < to; i++) {
            for (int m = 0; m < books; m++) {
                int fAt = fo + (i * books + m) * dim, pAt = po + (i * books + m) * words;
                int book = co + m * words * dim, zAt = zo + (i * books + m) * dim;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < words; k++) {
                    float logit = scale * squaredDistance(fAt, book + k * dim);
                    p[pAt + k] = logit;
                    max = Math.max(max, logit);
                }
                CodebookCall.softmaxInPlace(p, pAt, words, max);
                for (int t = 0; t < dim; t++) {
                    z[zAt + t] = 0;
                }
                for (int k = 0; k < words; k++) {
                    float pk = p[pAt + k];
                    int cw = book + k * dim;
                    for (int t = 0; t < dim; t++) {
                        z[zAt + t] = Math.fma(pk, c[cw + t], z[zAt + t]);
                    }
                }
            }
        }
    }

    private void codeRows(int from, int to) {
        for (int i = from; i < to; i++) {
            for (int m = 0; m < books; m++) {
                int fAt = fo + (i * books + m) * dim, book = co + m * words * dim;
                int best = 0;
                float bestDistance = Float.POSITIVE_INFINITY;
                for (int k = 0; k < words; k++) {
                    float d = squaredDistance(fAt, book + k * dim);
                    if (d < bestDistance) {
                        best = k;
                        bestDistance = d;
                    }
                }
                codes[codeOff + i * books + m] = best;
            }
        }
    }

    /**
     * Per row and book: sum_j p_j (dz . c_j) = dz . z, so da_k = p_k (dz . c_k - dz . z); saves da and adds
     * sum_k da_k (-2 / t) (f - c_k) to dF.
     */
    private void backwardRows(int from, int to) {
        float scale = -2f / temperature;
        for (int i = from; i < to; i++) {
            for (int m = 0; m < books; m++) {
                int at = (i * books + m) * dim, pAt = (i * books + m) * words, book = co + m * words * dim;
                float dzz = 0;
                for (int t = 0; t < dim; t++) {
                    dzz = Math.fma(dz[dzo + at + t], z[zo + at + t], dzz);
                }
                for (int k = 0; k < words; k++) {
                    int cw = book + k * dim;
                    float dzc = 0;
                    for (int t = 0; t < dim; t++) {
                        dzc = Math.fma(dz[dzo + at + t], c[cw + t], dzc);
                    }
                    float da = p[po + pAt + k] * (dzc - dzz);
                    dLogits[pAt + k] = da;
                    float g = scale * da;
                    for (int t = 0; t < dim; t++) {
                        df[dfo + at + t] = Math.fma(g, f[fo + at + t] - c[cw + t], df[dfo + at + t]);
                    }
                }
            }
        }
    }

    /** dc_k += sum_i p_k dz + da_k (2 / t) (f - c_k), per codeword (book * words + k). */
    private void backwardCodewords(int from, int to) {
        double scale = 2.0 / temperature;
        for (int bk = from; bk < to; bk++) {
            int m = bk / words, cw = bk * dim;
            for (int t = 0; t < dim; t++) {
                double acc = 0;
                float ct = c[co + cw + t];
                for (int i = 0; i < rows; i++) {
                    int at = (i * books + m) * dim + t, pk = (i * books) * words + bk;
                    acc += (double) p[po + pk] * dz[dzo + at] + scale * dLogits[pk] * (f[fo + at] - ct);
                }
                dc[dco + cw + t] += (float) acc;
            }
        }
    }
}
