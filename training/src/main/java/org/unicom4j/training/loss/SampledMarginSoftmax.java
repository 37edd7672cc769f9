package org.unicom4j.training.loss;

import java.util.random.RandomGenerator;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.SampledPrototypes;

/**
 * The Unicom loss: margin softmax over a random subset of class prototypes and a random subset of feature
 * dimensions (spec unicom.md section 3), on the fused {@code sampledCosineLogits} kernel. Owns the prototype
 * matrix W [C, De] and its gradient; every device buffer is allocated once, so a step allocates nothing and
 * reads back only the loss.
 */
public final class SampledMarginSoftmax implements PrototypeLoss {
    private final Backend backend;
    private final int classes;
    private final int embDim;
    private final Margin margin;
    private final ClassSampler classSampler;
    private final DimensionSampler dimSampler;
    private final DeviceFloats prototypes;
    private final DeviceFloats prototypeGrad;
    private final IndexList classIdx;
    private final IndexList dimIdx;
    private final IndexList labels;
    private final DeviceFloats eNorms;
    private final DeviceFloats wNorms;
    private final SampledPrototypes sample;
    private final DeviceFloats cos;
    private final DeviceFloats dCos;
    private int lastSampledClasses;

    public SampledMarginSoftmax(Backend backend, int classes, int embDim, int sampledDims, double classRate,
                                Margin margin, int maxBatch) {
        this.backend = backend;
        this.classes = classes;
        this.embDim = embDim;
        this.margin = margin;
        this.classSampler = new ClassSampler(classes, classRate, maxBatch);
        this.dimSampler = new DimensionSampler(embDim, sampledDims);
        long protoSize = (long) classes * embDim;
        this.prototypes = backend.buffers().allocFloats(protoSize);
        this.prototypeGrad = backend.buffers().allocFloats(protoSize);
        int cap = classSampler.capacity();
        this.classIdx = backend.buffers().allocIndexList(cap);
        this.dimIdx = backend.buffers().allocIndexList(sampledDims);
        this.labels = backend.buffers().allocIndexList(maxBatch);
        this.eNorms = backend.buffers().allocFloats(maxBatch);
        this.wNorms = backend.buffers().allocFloats(cap);
        this.sample = new SampledPrototypes(Matrix.of(prototypes, classes, embDim), classIdx, dimIdx, eNorms, wNorms);
        this.cos = backend.buffers().allocFloats((long) maxBatch * cap);
        this.dCos = backend.buffers().allocFloats((long) maxBatch * cap);
    }

    /** Prototypes drawn from N(0, std^2) (the reference uses std 0.01), seeded. */
    @Override
    public void initPrototypes(long seed, double std) {
        RandomGenerator random = new org.unicom4j.training.random.SplitMix64(seed);
        int rowsPerChunk = Math.max(1, (1 << 22) / embDim);
        float[] chunk = new float[rowsPerChunk * embDim];
        for (int row = 0; row < classes; row += rowsPerChunk) {
            int rows = Math.min(rowsPerChunk, classes - row);
            for (int i = 0; i < rows * embDim; i++) {
                chunk[i] = (float) (random.nextGaussian() * std);
            }
            backend.buffers().upload(chunk, 0, prototypes.slice((long) row * embDim, (long) rows * embDim));
        }
    }

    /**
     * One step's loss and gradients: samples classes (keeping the batch's) and dimensions, computes the
     * cosine logits and the margin softmax, and writes dEmbeddings [batch, De] (overwritten; zero on
     * unsampled dims) and the prototype gradient (zero outside the sampled rows and dims).
     */
    @Override
    public float forwardBackward(DeviceFloats embeddings, int[] batchLabels, int batch, DeviceFloats dEmbeddings,
                                 RandomGenerator random) {
        classSampler.sample(batchLabels, batch, random);
        int cs = classSampler.sampledCount();
        int[] dims = dimSampler.sample(random);
        classIdx.write(classSampler.sampledClasses(), cs);
        dimIdx.write(dims, dimSampler.sampledDims());
        labels.write(classSampler.remappedLabels(), batch);
        backend.prototypeLosses().sampledCosineLogits(embeddings, batch, sample, cos);
        float loss = backend.prototypeLosses().marginSoftmaxLoss(cos, batch, cs, labels, margin, dCos);
        backend.buffers().fill(dEmbeddings.slice(0, (long) batch * embDim), 0f);
        backend.buffers().fill(prototypeGrad, 0f);
        backend.prototypeLosses().sampledCosineLogitsBackward(dCos, cos, embeddings, batch, sample, dEmbeddings,
                prototypeGrad);
        lastSampledClasses = cs;
        return loss;
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

    @Override
    public int embDim() {
        return embDim;
    }

    /** Classes sampled by the last step. */
    @Override
    public int lastSampledClasses() {
        return lastSampledClasses;
    }

    @Override
    public void close() {
        for (var buffer : new org.unicom4j.kernels.DeviceBuffer[] {prototypes, prototypeGrad, eNorms, wNorms, cos,
                dCos}) {
            buffer.close();
        }
        classIdx.close();
        dimIdx.close();
        labels.close();
    }
}
