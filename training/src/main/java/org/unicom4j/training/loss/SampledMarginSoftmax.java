package org.unicom4j.training.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.random.RandomGenerator;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceBuffer;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.PrototypeLosses;
import org.unicom4j.kernels.SampledPrototypes;

/**
 * The Unicom loss: margin softmax over a random subset of class prototypes and a random subset of feature
 * dimensions (spec unicom.md section 3), on the fused {@code sampledCosineLogits} kernel, and with a
 * {@link MarginPolicy} and k sub-centres every variant of the margin-loss family (docs/TRAINING.md). Owns the
 * prototype matrix W [C k, De] (class c's sub-centres are rows c k .. c k + k - 1; a sampled class brings all k) and
 * its gradient; every device buffer is allocated once, so a step allocates nothing on the device and reads back only
 * the loss and what an adaptive margin asks for.
 */
public final class SampledMarginSoftmax implements PrototypeLoss {
    private final Backend backend;
    private final int classes;
    private final int subCentres;
    private final int embDim;
    private final MarginPolicy policy;
    private final ClassSampler classSampler;
    private final DimensionSampler dimSampler;
    private final DeviceFloats prototypes;
    private final DeviceFloats prototypeGrad;
    private final IndexList rowIdx;
    private final IndexList dimIdx;
    private final IndexList labels;
    private final DeviceFloats eNorms;
    private final DeviceFloats wNorms;
    private final SampledPrototypes sample;
    private final DeviceFloats cos;
    private final DeviceFloats dCos;
    /** With sub-centres: the cosines to every sampled row, their gradient, and each class's winning sub-centre. */
    private final DeviceFloats rowCos;
    private final DeviceFloats dRowCos;
    private final DeviceInts winners;
    private final DeviceFloats rowMargins;
    private final DeviceFloats statistics;
    private final int[] rows;
    private final Step step = new Step();
    private int lastSampledClasses;

    /** The plain Unicom loss: one row per class and the same margin every step. */
    public SampledMarginSoftmax(Backend backend, int classes, int embDim, int sampledDims, double classRate,
                                Margin margin, int maxBatch) {
        this(backend, classes, 1, embDim, sampledDims, classRate, new FixedMargin(margin), maxBatch);
    }

    /**
     * @param subCentres k prototype rows per class (1: plain; sub-centre ArcFace: 3)
     * @param policy     the variant's margin per step
     */
    public SampledMarginSoftmax(Backend backend, int classes, int subCentres, int embDim, int sampledDims,
                                double classRate, MarginPolicy policy, int maxBatch) {
        if (subCentres < 1 || (long) classes * subCentres > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sub-centres must be >= 1 with classes * k < 2^31, got k = "
                    + subCentres);
        }
        if (policy.needsAllClasses() && classRate < 1) {
            throw new IllegalArgumentException("this margin needs every class each step, got class rate " + classRate);
        }
        if (policy.needsAllDims() && sampledDims < embDim) {
            throw new IllegalArgumentException("this margin needs every feature dimension, got " + sampledDims
                    + " of " + embDim);
        }
        this.backend = backend;
        this.classes = classes;
        this.subCentres = subCentres;
        this.embDim = embDim;
        this.policy = policy;
        this.classSampler = new ClassSampler(classes, classRate, maxBatch);
        this.dimSampler = new DimensionSampler(embDim, sampledDims);
        long protoSize = (long) classes * subCentres * embDim;
        this.prototypes = backend.buffers().allocFloats(protoSize);
        this.prototypeGrad = backend.buffers().allocFloats(protoSize);
        int cap = classSampler.capacity();
        this.rows = new int[cap * subCentres];
        this.rowIdx = backend.buffers().allocIndexList(cap * subCentres);
        this.dimIdx = backend.buffers().allocIndexList(sampledDims);
        this.labels = backend.buffers().allocIndexList(maxBatch);
        this.eNorms = backend.buffers().allocFloats(maxBatch);
        this.wNorms = backend.buffers().allocFloats((long) cap * subCentres);
        this.sample = new SampledPrototypes(Matrix.of(prototypes, classes * subCentres, embDim), rowIdx, dimIdx, eNorms,
                wNorms);
        this.cos = backend.buffers().allocFloats((long) maxBatch * cap);
        this.dCos = backend.buffers().allocFloats((long) maxBatch * cap);
        boolean pooled = subCentres > 1;
        this.rowCos = pooled ? backend.buffers().allocFloats((long) maxBatch * cap * subCentres) : cos;
        this.dRowCos = pooled ? backend.buffers().allocFloats((long) maxBatch * cap * subCentres) : dCos;
        this.winners = pooled ? backend.buffers().allocInts((long) maxBatch * cap) : null;
        this.rowMargins = policy.perRowMargins() ? backend.buffers().allocFloats(2L * maxBatch) : null;
        this.statistics = backend.buffers().allocFloats(2L * maxBatch);
        step.rowMargins = new float[2 * maxBatch];
        step.norms = new float[maxBatch];
        step.stats = new float[2 * maxBatch];
    }

    /** Prototypes drawn from N(0, std^2) (the reference uses std 0.01), seeded. */
    @Override
    public void initPrototypes(long seed, double std) {
        RandomGenerator random = new org.unicom4j.training.random.SplitMix64(seed);
        long total = prototypeRows();
        int rowsPerChunk = Math.max(1, (1 << 22) / embDim);
        float[] chunk = new float[rowsPerChunk * embDim];
        for (long row = 0; row < total; row += rowsPerChunk) {
            int n = (int) Math.min(rowsPerChunk, total - row);
            for (int i = 0; i < n * embDim; i++) {
                chunk[i] = (float) (random.nextGaussian() * std);
            }
            backend.buffers().upload(chunk, 0, prototypes.slice(row * embDim, (long) n * embDim));
        }
    }

    /**
     * One step's loss and gradients: samples classes (keeping the batch's) and dimensions, computes the cosine logits
     * (pooled over sub-centres), asks the policy for the margin, runs the margin softmax, and writes dEmbeddings
     * [batch, De] (overwritten; zero on unsampled dims) and the prototype gradient (zero outside the sampled rows and
     * dims).
     */
    @Override
    public float forwardBackward(DeviceFloats embeddings, int[] batchLabels, int batch, DeviceFloats dEmbeddings,
                                 RandomGenerator random) {
        classSampler.sample(batchLabels, batch, random);
        int[] dims = dimSampler.sample(random);
        return forwardBackward(embeddings, batchLabels, batch, dEmbeddings, classSampler.sampledClasses(),
                classSampler.sampledCount(), classSampler.remappedLabels(), dims, dimSampler.sampledDims());
    }

    /**
     * The step over given draws: {@code sampled[0..cs)} ascending classes (the batch's among them), the labels
     * remapped into them, and {@code dims[0..ds)} ascending dims (tests replay fixed draws through this).
     */
    float forwardBackward(DeviceFloats embeddings, int[] batchLabels, int batch, DeviceFloats dEmbeddings,
                          int[] sampled, int cs, int[] remapped, int[] dims, int ds) {
        for (int j = 0; j < cs; j++) {
            for (int i = 0; i < subCentres; i++) {
                rows[j * subCentres + i] = sampled[j] * subCentres + i;
            }
        }
        rowIdx.write(rows, cs * subCentres);
        dimIdx.write(dims, ds);
        labels.write(remapped, batch);
        PrototypeLosses losses = backend.prototypeLosses();
        losses.sampledCosineLogits(embeddings, batch, sample, rowCos);
        if (subCentres > 1) {
            losses.subCentreMax(rowCos, batch, cs, subCentres, cos, winners);
        }
        step.start(batchLabels, batch, cs);
        Margin margin = policy.margin(step);
        if (rowMargins != null) {
            backend.buffers().upload(step.rowMargins, 0, rowMargins.slice(0, 2L * batch));
        }
        float loss = losses.marginSoftmaxLoss(cos, batch, cs, labels, margin, rowMargins, dCos);
        if (subCentres > 1) {
            losses.subCentreMaxBackward(dCos, winners, batch, cs, subCentres, dRowCos);
        }
        backend.buffers().fill(dEmbeddings.slice(0, (long) batch * embDim), 0f);
        backend.buffers().fill(prototypeGrad, 0f);
        losses.sampledCosineLogitsBackward(dRowCos, rowCos, embeddings, batch, sample, dEmbeddings, prototypeGrad);
        lastSampledClasses = cs;
        return loss;
    }

    /** The step as the policy sees it; statistics are computed and read back on demand. */
    private final class Step implements MarginStep {
        float[] rowMargins;
        float[] norms;
        float[] stats;
        int[] batchLabels;
        int batch;
        int sampledClasses;

        void start(int[] labels, int rows, int cs) {
            this.batchLabels = labels;
            this.batch = rows;
            this.sampledClasses = cs;
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public int[] labels() {
            return batchLabels;
        }

        @Override
        public float[] targetStatistics(float scale) {
            DeviceFloats out = statistics.slice(0, 2L * batch);
            backend.prototypeLosses().targetStatistics(cos, batch, sampledClasses, labels, scale, out);
            backend.buffers().download(out, stats, 0);
            return stats;
        }

        @Override
        public float[] embeddingNorms() {
            backend.buffers().download(eNorms.slice(0, batch), norms, 0);
            return norms;
        }

        @Override
        public float[] rowMargins() {
            return rowMargins;
        }
    }

    @Override
    public DeviceFloats prototypes() {
        return prototypes;
    }

    @Override
    public DeviceFloats prototypeGradient() {
        return prototypeGrad;
    }

    @Override
    public int classes() {
        return classes;
    }

    /** Prototype rows per class. */
    public int subCentres() {
        return subCentres;
    }

    @Override
    public int embDim() {
        return embDim;
    }

    /** Classes sampled by the last step. */
    @Override
    public int lastSampledClasses() {
        return lastSampledClasses;
    }

    /** The variant's host side (its running statistics). */
    public MarginPolicy policy() {
        return policy;
    }

    @Override
    public void saveState(ObjectNode state) {
        policy.saveState(state);
    }

    @Override
    public void restoreState(JsonNode state) {
        policy.restoreState(state);
    }

    @Override
    public void close() {
        for (DeviceBuffer buffer : new DeviceBuffer[] {prototypes, prototypeGrad, eNorms, wNorms, cos, dCos, rowCos,
                dRowCos, winners, rowMargins, statistics}) {
            if (buffer != null && !buffer.isClosed()) {
                buffer.close();
            }
        }
        rowIdx.close();
        dimIdx.close();
        labels.close();
    }
}
