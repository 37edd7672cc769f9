package org.unicom4j.training.unicom;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Margin;
import org.unicom4j.training.config.LossSpec;
import org.unicom4j.training.loss.PrototypeLoss;
import org.unicom4j.training.loss.SampledMarginSoftmax;

/**
 * Builds the loss a config names. A new variant (sub-centre prototypes, per-class margins) is a new
 * {@link PrototypeLoss} and a new case here; the trainer does not change.
 */
final class LossFactory {
    private LossFactory() {
    }

    static PrototypeLoss create(LossSpec spec, Backend backend, int classes, int embDim, int maxBatch) {
        return switch (spec.type()) {
            case "arcface", "cosface" -> new SampledMarginSoftmax(backend, classes, embDim, spec.sampledDims(),
                    spec.classRate(), new Margin((float) spec.scale(), spec.angularMargin(), spec.additiveMargin()),
                    maxBatch);
            default -> throw new IllegalArgumentException("loss type '" + spec.type() + "' is not implemented");
        };
    }
}
