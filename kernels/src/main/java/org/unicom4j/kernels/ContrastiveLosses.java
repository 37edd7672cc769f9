package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.matrix;
import static org.unicom4j.kernels.ArgumentCheck.positive;

import org.unicom4j.kernels.spi.ContrastiveLossKernels;

/**
 * The two-view contrastive-loss family of a {@link Backend} (spec sscq.md, losses 1-3): losses over the cosine
 * similarity matrix S [rows, rows] of a batch that holds two augmented views of every image, the views of an image
 * in consecutive rows (2i and 2i + 1, the training engine's layout), so {@code rows} is even. Each kernel returns
 * the loss (the only value read back) and overwrites dS with dLoss/dS (S is not assumed symmetric; for S = X X^T
 * the caller's dX is (dS + dS^T) X). A row's own entry S[r, r] never counts and gets gradient 0.
 *
 * <pre>{@code
 * layers.l2NormalizeRows(f, fn, norms, rows, dim, 1e-12f);
 * gemm.multiply(1f, Matrix.of(fn, rows, dim), Matrix.of(fn, rows, dim).transpose(), 0f, Matrix.of(s, rows, rows));
 * float loss = backend.contrastiveLosses().ntXent(s, rows, 0.5f, dS);
 * }</pre>
 */
public final class ContrastiveLosses {
    private final Backend owner;
    private final ContrastiveLossKernels impl;

    ContrastiveLosses(Backend owner, ContrastiveLossKernels impl) {
        this.owner = owner;
        this.impl = impl;
    }

    /**
     * NT-Xent (SimCLR): with p(r) the other view of row r,
     * L = mean_r [ log sum_{j != r} exp(S[r, j] / t) - S[r, p(r)] / t ].
     */
    public float ntXent(DeviceFloats similarities, int rows, float temperature, DeviceFloats dSimilarities) {
        String kn = "ntXent";
        check(kn, similarities, rows, 1, temperature, dSimilarities);
        KernelListener l = owner.started(kn);
        float loss = impl.ntXent(similarities, rows, temperature, dSimilarities);
        Backend.finished(l, kn);
        return loss;
    }

    /**
     * Global consistency: for each pair (a, b) = (2i, 2i + 1), over the columns C = all but a and b,
     * P = softmax(S[a, C] / t) and Q = softmax(S[b, C] / t); L = mean over pairs of (KL(Q||P) + KL(P||Q)) / 2.
     */
    public float viewConsistency(DeviceFloats similarities, int rows, float temperature,
                                 DeviceFloats dSimilarities) {
        String kn = "viewConsistency";
        check(kn, similarities, rows, 1, temperature, dSimilarities);
        if (rows < 4) {
            throw new IllegalArgumentException(kn + ": rows must be >= 4 (two pairs), got " + rows);
        }
        KernelListener l = owner.started(kn);
        float loss = impl.viewConsistency(similarities, rows, temperature, dSimilarities);
        Backend.finished(l, kn);
        return loss;
    }

    /**
     * Neighbour consistency over {@code matrices} similarity matrices [matrices, rows, rows] (one per codebook):
     * per matrix and row r, with s_j = S[r, j] / t over j != r and T the {@code neighbours} largest of them (the
     * lower column first on ties), l = log sum_j exp(s_j) - log sum_{j in T} exp(s_j); L = mean over matrices and
     * rows. dSimilarities [matrices, rows, rows].
     */
    public float neighbourConsistency(DeviceFloats similarities, int rows, int matrices, int neighbours,
                                      float temperature, DeviceFloats dSimilarities) {
        String kn = "neighbourConsistency";
        check(kn, similarities, rows, matrices, temperature, dSimilarities);
        if (neighbours < 1 || neighbours > rows - 1) {
            throw new IllegalArgumentException(kn + ": neighbours must be in [1, rows - 1 = " + (rows - 1)
                    + "], got " + neighbours);
        }
        KernelListener l = owner.started(kn);
        float loss = impl.neighbourConsistency(similarities, rows, matrices, neighbours, temperature,
                dSimilarities);
        Backend.finished(l, kn);
        return loss;
    }

    private void check(String kn, DeviceFloats s, int rows, int matrices, float temperature, DeviceFloats dS) {
        positive(kn, "rows", rows);
        positive(kn, "matrices", matrices);
        positive(kn, "temperature", temperature);
        if (rows % 2 != 0) {
            throw new IllegalArgumentException(kn + ": rows must be even (two views per image), got " + rows);
        }
        matrix(owner, kn, "similarities", s, matrices * rows, rows);
        matrix(owner, kn, "dSimilarities", dS, matrices * rows, rows);
    }
}
