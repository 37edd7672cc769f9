package org.unicom4j.training.loss;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.Margin.Gradient;
import org.unicom4j.training.config.LossSpec;
import org.unicom4j.training.config.MarginOptions;

/**
 * Builds the loss a config names: every type of the margin-loss family is a {@link SampledMarginSoftmax} with the
 * type's {@link MarginPolicy} (and k sub-centres for {@code subcenter-arcface}). The methods (unicom, head) share it.
 */
public final class LossFactory {
    private LossFactory() {
    }

    /**
     * The loss of {@code spec} over {@code classes} classes of {@code embDim}-d embeddings for batches up to
     * {@code maxBatch}; {@code classCounts} (images per class in the training set) set dynamic-arcface's margins.
     */
    public static PrototypeLoss create(LossSpec spec, Backend backend, int classes, int embDim, int maxBatch,
                                       long[] classCounts) {
        MarginOptions o = spec.options();
        float s = (float) spec.scale(), m = (float) spec.margin();
        Gradient gradient = o.exactGradient() ? Gradient.EXACT : Gradient.STRAIGHT_THROUGH;
        Margin.Target target = o.easyMargin() ? Margin.Target.EASY : Margin.Target.FALLBACK;
        MarginPolicy policy = switch (spec.type()) {
            case "arcface", "subcenter-arcface" -> new FixedMargin(Margin.arcFace(s, m).withTarget(target)
                    .withGradient(gradient));
            case "cosface" -> new FixedMargin(Margin.cosFace(s, m).withGradient(gradient));
            case "dynamic-arcface" -> new ClassMargins(Margin.arcFace(s, 0f).withTarget(target).withGradient(gradient),
                    classCounts, o.marginMin(), o.marginMax());
            case "adacos" -> new AdaCosScale(Margin.arcFace(1f, 0f).withGradient(Gradient.EXACT), classes);
            case "curricularface" -> new CurricularStatistic(Margin.arcFace(s, m).withLogits(Margin.Logits.CURRICULAR)
                    .withGradient(Gradient.EXACT));
            case "adaface" -> new AdaFaceNorms(s, m, o.h(), o.normMomentum(), (float) o.normMean(),
                    (float) o.normStd());
            case "li-arcface" -> new FixedMargin(Margin.arcFace(s, m).withLogits(Margin.Logits.LINEAR_ANGLE)
                    .withGradient(Gradient.EXACT));
            default -> throw new IllegalArgumentException("loss type '" + spec.type() + "' is not implemented");
        };
        return new SampledMarginSoftmax(backend, classes, o.subCentres(), embDim, spec.sampledDims(),
                spec.classRate(), policy, maxBatch);
    }

    /** Images per class among the first {@code count} labels (label(i) in [0, classes)). */
    public static long[] classCounts(java.util.function.IntUnaryOperator label, int count, int classes) {
        long[] counts = new long[classes];
        for (int i = 0; i < count; i++) {
            int y = label.applyAsInt(i);
            if (y >= 0 && y < classes) {
                counts[y]++;
            }
        }
        return counts;
    }
}
