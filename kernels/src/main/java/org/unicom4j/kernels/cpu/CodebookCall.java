package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Codebooks;

/**
 * The features and codebooks of a running quantisation kernel call, as arrays and offsets the parallel bodies read
 * (what {@link CpuSoftQuantiser} and {@link CpuCosineAssignments} share), and the per-sub-vector softmax both use.
 */
final class CodebookCall {
    float[] f;
    float[] c;
    int fo;
    int co;
    int rows;
    int books;
    int words;
    int dim;

    void bind(CpuFloats features, int rows, Codebooks codebooks) {
        f = features.array();
        fo = features.offset();
        CpuFloats cb = (CpuFloats) codebooks.data();
        c = cb.array();
        co = cb.offset();
        this.rows = rows;
        books = codebooks.books();
        words = codebooks.words();
        dim = codebooks.dim();
    }

    void release() {
        f = c = null;
    }

    /** p[at .. at + n) = softmax of the logits held there, whose largest is {@code max}. */
    static void softmaxInPlace(float[] p, int at, int n, float max) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            float e = (float) Math.exp(p[at + k] - max);
            p[at + k] = e;
            sum += e;
        }
        float inv = (float) (1 / sum);
        for (int k = 0; k < n; k++) {
            p[at + k] *= inv;
        }
    }
}
