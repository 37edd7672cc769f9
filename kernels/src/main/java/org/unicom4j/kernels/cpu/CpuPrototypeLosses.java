package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.SampledPrototypes;
import org.unicom4j.kernels.spi.PrototypeLossKernels;

/** The prototype-loss family on the CPU: {@link CpuSampledCosine} and {@link CpuMarginSoftmax}. */
final class CpuPrototypeLosses implements PrototypeLossKernels {
    private final CpuSampledCosine sampledCosine;
    private final CpuMarginSoftmax marginSoftmax;

    CpuPrototypeLosses(ParallelLoop loop) {
        this.sampledCosine = new CpuSampledCosine(loop);
        this.marginSoftmax = new CpuMarginSoftmax(loop);
    }

    @Override
    public void sampledCosineLogits(DeviceFloats embeddings, int batch, SampledPrototypes s, DeviceFloats cos) {
        sampledCosine.forward((CpuFloats) embeddings, batch, s.prototypes().cols(), (CpuFloats) s.prototypes().data(),
                (CpuInts) s.classes().ints(), s.classes().count(), (CpuInts) s.dims().ints(), s.dims().count(),
                (CpuFloats) s.embeddingNorms(), (CpuFloats) s.prototypeNorms(), (CpuFloats) cos);
    }

    @Override
    public void sampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats embeddings, int batch,
                                            SampledPrototypes s, DeviceFloats dEmbeddings, DeviceFloats dPrototypes) {
        sampledCosine.backward((CpuFloats) dCos, (CpuFloats) embeddings, batch, s.prototypes().cols(),
                (CpuFloats) s.prototypes().data(), (CpuInts) s.classes().ints(), s.classes().count(),
                (CpuInts) s.dims().ints(), s.dims().count(), (CpuFloats) s.embeddingNorms(),
                (CpuFloats) s.prototypeNorms(), (CpuFloats) dEmbeddings, (CpuFloats) dPrototypes);
    }

    @Override
    public float marginSoftmaxLoss(DeviceFloats cos, int rows, int cols, IndexList labels, Margin margin,
                                   DeviceFloats dCos) {
        return marginSoftmax.compute((CpuFloats) cos, (CpuInts) labels.ints(), rows, cols, margin, (CpuFloats) dCos);
    }
}
