package org.unicom4j.training.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.unicom4j.kernels.Margin;

/**
 * CurricularFace (Huang et al., CVPR 2020, HuangYG123/CurricularFace): ArcFace's target with the fallback, and every
 * hard negative (cos_j > cos(theta_y + m)) modulated to cos_j (t + cos_j), where t is a running mean of the target
 * cosines updated before the logits of each step: t = 0.01 mean(cos_y) + 0.99 t, from t = 0. t is not
 * differentiated; it is saved in checkpoints.
 */
public final class CurricularStatistic implements MarginPolicy {
    /** The official code's momentum. */
    private static final double MOMENTUM = 0.01;

    private final Margin base;
    private float t;

    /** {@code base}: the ArcFace margin with curricular logits. */
    public CurricularStatistic(Margin base) {
        if (base.logits() != Margin.Logits.CURRICULAR) {
            throw new IllegalArgumentException("CurricularFace needs curricular logits, got " + base.logits());
        }
        this.base = base;
    }

    /** The running t after the last step. */
    public float t() {
        return t;
    }

    @Override
    public Margin margin(MarginStep step) {
        float[] stats = step.targetStatistics(base.scale());
        double sum = 0;
        for (int r = 0; r < step.batch(); r++) {
            sum += stats[2 * r];
        }
        t = (float) (sum / step.batch() * MOMENTUM + (1 - MOMENTUM) * t);
        return base.withHardNegative(t);
    }

    @Override
    public void saveState(ObjectNode state) {
        state.put("curricularT", (double) t); // the float exactly, widened
    }

    @Override
    public void restoreState(JsonNode state) {
        t = (float) state.path("curricularT").asDouble();
    }
}
