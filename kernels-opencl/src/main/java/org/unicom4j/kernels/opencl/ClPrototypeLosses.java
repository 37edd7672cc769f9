package org.unicom4j.kernels.opencl;

import org.jocl.Pointer;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.SampledPrototypes;
import org.unicom4j.kernels.spi.PrototypeLossKernels;

/** The prototype-loss family on OpenCL: {@link ClSampledCosine} and {@link ClMarginSoftmax}. */
final class ClPrototypeLosses implements PrototypeLossKernels {
    private final ClSampledCosine sampledCosine;
    private final ClMarginSoftmax marginSoftmax;
    private final ClBuffers memory;

    ClPrototypeLosses(ClSampledCosine sampledCosine, ClMarginSoftmax marginSoftmax, ClBuffers memory) {
        this.sampledCosine = sampledCosine;
        this.marginSoftmax = marginSoftmax;
        this.memory = memory;
    }

    @Override
    public void sampledCosineLogits(DeviceFloats embeddings, int batch, SampledPrototypes s, DeviceFloats cos) {
        sampledCosine.forward((ClFloats) embeddings, batch, s.prototypes().cols(), (ClFloats) s.prototypes().data(),
                (ClInts) s.classes().ints(), s.classes().count(), (ClInts) s.dims().ints(), s.dims().count(),
                (ClFloats) s.embeddingNorms(), (ClFloats) s.prototypeNorms(), (ClFloats) cos);
    }

    @Override
    public void sampledCosineLogitsBackward(DeviceFloats dCos, DeviceFloats cos, DeviceFloats embeddings, int batch,
                                            SampledPrototypes s, DeviceFloats dEmbeddings, DeviceFloats dPrototypes) {
        int sampledClasses = s.classes().count();
        try (ClFloats projections = memory.scratch("sampledCosineLogitsBackward", batch + sampledClasses, false)) {
            sampledCosine.backward((ClFloats) dCos, (ClFloats) cos, (ClFloats) embeddings, batch, s.prototypes().cols(),
                    (ClFloats) s.prototypes().data(), (ClInts) s.classes().ints(), sampledClasses,
                    (ClInts) s.dims().ints(), s.dims().count(), (ClFloats) s.embeddingNorms(),
                    (ClFloats) s.prototypeNorms(), (ClFloats) dEmbeddings, (ClFloats) dPrototypes, projections);
        }
    }

    @Override
    public float marginSoftmaxLoss(DeviceFloats cos, int rows, int cols, IndexList labels, Margin margin,
                                   DeviceFloats rowMargins, DeviceFloats dCos) {
        try (ClFloats rowLoss = memory.scratch("marginSoftmaxLoss", rows + 1, false)) {
            marginSoftmax.run((ClFloats) cos, (ClInts) labels.ints(), rows, cols, margin, (ClFloats) rowMargins,
                    (ClFloats) dCos, rowLoss);
            float[] loss = new float[1];
            memory.read("marginSoftmaxLoss", rowLoss.storage, rows, Pointer.to(loss), 1);
            return loss[0];
        }
    }

    @Override
    public void targetStatistics(DeviceFloats cos, int rows, int cols, IndexList labels, float scale,
                                 DeviceFloats stats) {
        marginSoftmax.targetStatistics((ClFloats) cos, (ClInts) labels.ints(), rows, cols, scale, (ClFloats) stats);
    }

    @Override
    public void subCentreMax(DeviceFloats cosRows, int rows, int classes, int k, DeviceFloats cos,
                             DeviceInts argmax) {
        marginSoftmax.subCentreMax((ClFloats) cosRows, rows * classes, k, (ClFloats) cos, (ClInts) argmax);
    }

    @Override
    public void subCentreMaxBackward(DeviceFloats dCos, DeviceInts argmax, int rows, int classes, int k,
                                     DeviceFloats dCosRows) {
        marginSoftmax.subCentreMaxBackward((ClFloats) dCos, (ClInts) argmax, rows * classes, k, (ClFloats) dCosRows);
    }
}
