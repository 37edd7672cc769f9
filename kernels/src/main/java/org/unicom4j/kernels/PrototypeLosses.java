package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.indices;
import static org.unicom4j.kernels.ArgumentCheck.matrix;
import static org.unicom4j.kernels.ArgumentCheck.positive;
import static org.unicom4j.kernels.ArgumentCheck.vector;

import org.unicom4j.kernels.spi.PrototypeLossKernels;

/**
 * The prototype-loss family of a {@link Backend}: the fused sampled-prototype cosine logits with their backward,
 * the margin softmax loss of every {@link Margin} (spec unicom.md section 3; the margin-loss family of
 * docs/TRAINING.md), the per-row statistics adaptive margins read, and sub-centre pooling. One step:
 *
 * <pre>{@code
 * losses.sampledCosineLogits(e, batch, sample, cos);
 * float loss = losses.marginSoftmaxLoss(cos, batch, sample.classes().count(), labels, margin, dCos);
 * losses.sampledCosineLogitsBackward(dCos, cos, e, batch, sample, dE, dW);
 * }</pre>
 */
public final class PrototypeLosses {
    private final Backend owner;
    private final PrototypeLossKernels impl;

    PrototypeLosses(Backend owner, PrototypeLossKernels impl) {
        this.owner = owner;
        this.impl = impl;
    }

    /**
     * cos[i, j] = clamp(normalize(E[i, dims]) . normalize(W[classes[j], dims]), -1, 1) for E [batch, embDim],
     * W = {@code sample.prototypes()} [classes, embDim] and cos [batch, sample.classes().count()]. The row and dim
     * gathers and the row norms happen inside the tiled matmul; W[classes][:, dims] is never materialised.
     * Saves the norms of the sample (each max(||.||, 1e-12) over the sampled dims).
     */
    public void sampledCosineLogits(DeviceFloats embeddings, int batch, SampledPrototypes sample, DeviceFloats cos) {
        String kn = "sampledCosineLogits";
        checkSample(kn, embeddings, batch, sample, cos);
        KernelListener l = owner.started(kn);
        impl.sampledCosineLogits(embeddings, batch, sample, cos);
        if (l != null) {
            l.finished(kn, "", 2.0 * batch * sample.classes().count() * sample.dims().count());
        }
    }

    /**
     * Backward of {@link #sampledCosineLogits} given dCos [batch, sampled classes] and the forward's cos and
     * norms: accumulates into dEmbeddings [batch, embDim] and into the sampled rows and dims of dPrototypes
     * [classes, embDim]; every other entry of the two is left as it is.
     */
    public void sampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats embeddings, int batch,
                                            SampledPrototypes sample, DeviceFloats dEmbeddings,
                                            DeviceFloats dPrototypes) {
        String kn = "sampledCosineLogitsBackward";
        checkSample(kn, embeddings, batch, sample, cos);
        Matrix w = sample.prototypes();
        matrix(owner, kn, "dCos", dCos, batch, sample.classes().count());
        matrix(owner, kn, "dEmbeddings", dEmbeddings, batch, w.cols());
        matrix(owner, kn, "dPrototypes", dPrototypes, w.rows(), w.cols());
        KernelListener l = owner.started(kn);
        impl.sampledCosineLogitsBackward(dCos, cos, embeddings, batch, sample, dEmbeddings, dPrototypes);
        if (l != null) {
            l.finished(kn, "", 4.0 * batch * sample.classes().count() * sample.dims().count());
        }
    }

    /**
     * Margin softmax cross-entropy over cos [rows, cols] with labels[r] in [0, cols) (already remapped into the
     * sampled classes), the logits made as {@code margin} describes. Returns loss = -mean_r log(max(softmax(z)_r,label,
     * 1e-30)) and overwrites dCos = dz/dcos * (softmax(z) - onehot) / rows, where dz/dcos is s for plain cosine
     * logits and, at the target, s (straight-through) or s d phi / d cos ({@link Margin.Gradient#EXACT}). The loss
     * is the only value read back.
     */
    public float marginSoftmaxLoss(DeviceFloats cos, int rows, int cols, IndexList labels, Margin margin,
                                   DeviceFloats dCos) {
        return marginSoftmaxLoss(cos, rows, cols, labels, margin, null, dCos);
    }

    /**
     * As {@link #marginSoftmaxLoss(DeviceFloats, int, int, IndexList, Margin, DeviceFloats)} with per-row margins:
     * row r's target uses m2 = rowMargins[2r] and m3 = rowMargins[2r + 1] (per-class or feature-norm-adaptive
     * margins) instead of the margin's constants; {@code rowMargins} may be null.
     */
    public float marginSoftmaxLoss(DeviceFloats cos, int rows, int cols, IndexList labels, Margin margin,
                                   DeviceFloats rowMargins, DeviceFloats dCos) {
        String kn = "marginSoftmaxLoss";
        checkRows(kn, cos, rows, cols, labels);
        if (margin == null) {
            throw new IllegalArgumentException(kn + ": margin is null");
        }
        matrix(owner, kn, "dCos", dCos, rows, cols);
        if (rowMargins != null) {
            matrix(owner, kn, "rowMargins", rowMargins, rows, 2);
        }
        KernelListener l = owner.started(kn);
        float loss = impl.marginSoftmaxLoss(cos, rows, cols, labels, margin, rowMargins, dCos);
        Backend.finished(l, kn);
        return loss;
    }

    /**
     * Per-row statistics of cos [rows, cols] that adaptive margins need before the loss: stats[2r] = cos[r, y_r]
     * and stats[2r + 1] = log sum_{j != y_r} exp(scale cos[r, j]) (-infinity for one column), into stats [rows, 2].
     */
    public void targetStatistics(DeviceFloats cos, int rows, int cols, IndexList labels, float scale,
                                 DeviceFloats stats) {
        String kn = "targetStatistics";
        checkRows(kn, cos, rows, cols, labels);
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException(kn + ": scale must be finite, got " + scale);
        }
        matrix(owner, kn, "stats", stats, rows, 2);
        KernelListener l = owner.started(kn);
        impl.targetStatistics(cos, rows, cols, labels, scale, stats);
        Backend.finished(l, kn);
    }

    /**
     * Sub-centre pooling: cos [rows, classes] with cos[r, c] = max_{i < k} cosRows[r, c k + i] from the
     * cosines to k sub-centre rows per class, cosRows [rows, classes * k]; argmax [rows, classes] receives the
     * winning i (the lowest on ties).
     */
    public void subCentreMax(DeviceFloats cosRows, int rows, int classes, int k, DeviceFloats cos,
                             DeviceInts argmax) {
        String kn = "subCentreMax";
        checkSubCentres(kn, rows, classes, k, cosRows, argmax);
        matrix(owner, kn, "cos", cos, rows, classes);
        KernelListener l = owner.started(kn);
        impl.subCentreMax(cosRows, rows, classes, k, cos, argmax);
        Backend.finished(l, kn);
    }

    /**
     * Backward of {@link #subCentreMax}: dCosRows [rows, classes * k] (overwritten) holds dCos[r, c] at the winning
     * sub-centre of each class and 0 at the others.
     */
    public void subCentreMaxBackward(DeviceFloats dCos, DeviceInts argmax, int rows, int classes, int k,
                                     DeviceFloats dCosRows) {
        String kn = "subCentreMaxBackward";
        checkSubCentres(kn, rows, classes, k, dCosRows, argmax);
        matrix(owner, kn, "dCos", dCos, rows, classes);
        KernelListener l = owner.started(kn);
        impl.subCentreMaxBackward(dCos, argmax, rows, classes, k, dCosRows);
        Backend.finished(l, kn);
    }

    private void checkRows(String kn, DeviceFloats cos, int rows, int cols, IndexList labels) {
        positive(kn, "rows", rows);
        positive(kn, "cols", cols);
        matrix(owner, kn, "cos", cos, rows, cols);
        indices(owner, kn, "labels", labels, rows, cols, false);
    }

    private void checkSubCentres(String kn, int rows, int classes, int k, DeviceFloats perRow, DeviceInts argmax) {
        positive(kn, "rows", rows);
        positive(kn, "classes", classes);
        positive(kn, "k", k);
        if ((long) classes * k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kn + ": classes * k = " + (long) classes * k + " exceeds 2^31-1");
        }
        matrix(owner, kn, "sub-centre cosines", perRow, rows, classes * k);
        matrix(owner, kn, "argmax", argmax, rows, classes);
    }

    private void checkSample(String kn, DeviceFloats e, int batch, SampledPrototypes sample, DeviceFloats cos) {
        if (sample == null) {
            throw new IllegalArgumentException(kn + ": sample is null");
        }
        Matrix w = sample.prototypes();
        if (w == null || w.transposed() || w.ld() != w.cols()) {
            throw new IllegalArgumentException(kn + ": prototypes must be a contiguous, untransposed matrix view");
        }
        int classes = w.rows(), embDim = w.cols();
        int sampledClasses = sample.classes() == null ? 0 : sample.classes().count();
        int sampledDims = sample.dims() == null ? 0 : sample.dims().count();
        positive(kn, "batch", batch);
        positive(kn, "embDim", embDim);
        positive(kn, "sampled classes", sampledClasses);
        positive(kn, "sampled dims", sampledDims);
        matrix(owner, kn, "embeddings", e, batch, embDim);
        matrix(owner, kn, "prototypes", w.data(), classes, embDim);
        indices(owner, kn, "classes", sample.classes(), sampledClasses, classes, true);
        indices(owner, kn, "dims", sample.dims(), sampledDims, embDim, true);
        vector(owner, kn, "embeddingNorms", sample.embeddingNorms(), batch);
        vector(owner, kn, "prototypeNorms", sample.prototypeNorms(), sampledClasses);
        matrix(owner, kn, "cos", cos, batch, sampledClasses);
    }
}
