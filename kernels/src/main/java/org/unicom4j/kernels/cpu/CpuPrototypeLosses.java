package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.SampledPrototypes;
import org.unicom4j.kernels.spi.PrototypeLossKernels;

/**
 * The prototype-loss family on the CPU: {@link CpuSampledCosine}, {@link CpuMarginSoftmax} and the small per-row
 * kernels of {@link CpuMarginStatistics}.
 */
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
                                   DeviceFloats rowMargins, DeviceFloats dCos) {
        return marginSoftmax.compute((CpuFloats) cos, (CpuInts) labels.ints(), rows, cols, margin,
                (CpuFloats) rowMargins, (CpuFloats) dCos);
    }

    @Override
    public void targetStatistics(DeviceFloats cos, int rows, int cols, IndexList labels, float scale,
                                 DeviceFloats stats) {
        CpuMarginStatistics.targetStatistics((CpuFloats) cos, rows, cols, (CpuInts) labels.ints(), scale,
                (CpuFloats) stats);
    }

    @Override
    public void subCentreMax(DeviceFloats cosRows, int rows, int classes, int k, DeviceFloats cos,
                             DeviceInts argmax) {
        CpuMarginStatistics.subCentreMax((CpuFloats) cosRows, rows, classes, k, (CpuFloats) cos, (CpuInts) argmax);
    }

    @Override
    public void subCentreMaxBackward(DeviceFloats dCos, DeviceInts argmax, int rows, int classes, int k,
                                     DeviceFloats dCosRows) {
        CpuMarginStatistics.subCentreMaxBackward((CpuFloats) dCos, (CpuInts) argmax, rows, classes, k,
                (CpuFloats) dCosRows);
    }
}
