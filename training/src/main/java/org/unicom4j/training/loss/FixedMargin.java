package org.unicom4j.training.loss;

import org.unicom4j.kernels.Margin;

/** The same margin every step: ArcFace, CosFace, sub-centre ArcFace, Li-ArcFace. */
public record FixedMargin(Margin margin) implements MarginPolicy {

    @Override
    public Margin margin(MarginStep step) {
        return margin;
    }
}
