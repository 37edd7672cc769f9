package org.unicom4j.kernels;

import static org.unicom4j.kernels.ArgumentCheck.indices;
import static org.unicom4j.kernels.ArgumentCheck.matrix;
import static org.unicom4j.kernels.ArgumentCheck.positive;
import static org.unicom4j.kernels.ArgumentCheck.vector;

import org.unicom4j.kernels.spi.PrototypeLossKernels;

/**
 * The prototype-loss family of a {@link Backend}: the fused sampled-prototype cosine logits with their backward,
 * and the margin softmax loss (spec unicom.md section 3). One step:
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
     * sampled classes). Returns loss = -mean_r log(max(softmax(z)_r,label, 1e-30)) and overwrites
     * dCos = s * (softmax(z) - onehot) / rows, the straight-through gradient of the spec (the margin is not
     * differentiated). The loss is the only value read back.
     */
    public float marginSoftmaxLoss(DeviceFloats cos, int rows, int cols, IndexList labels, Margin margin,
                                   DeviceFloats dCos) {
        String kn = "marginSoftmaxLoss";
        positive(kn, "rows", rows);
        positive(kn, "cols", cols);
        matrix(owner, kn, "cos", cos, rows, cols);
        matrix(owner, kn, "dCos", dCos, rows, cols);
        indices(owner, kn, "labels", labels, rows, cols, false);
        KernelListener l = owner.started(kn);
        float loss = impl.marginSoftmaxLoss(cos, rows, cols, labels, margin, dCos);
        Backend.finished(l, kn);
        return loss;
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
