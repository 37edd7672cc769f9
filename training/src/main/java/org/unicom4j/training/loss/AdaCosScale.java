package org.unicom4j.training.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.unicom4j.kernels.Margin;

/**
 * AdaCos (Zhang et al., CVPR 2019), the dynamic version as 4uiiurz1/pytorch-adacos writes it: no margin, and a scale
 * recomputed every step before the logits from the previous one, s = log(B_avg) / cos(min(pi/4, theta_med)), where
 * B_avg = (1/B) sum over the batch of sum_{j != y} exp(s_old cos_j) and theta_med is the median target angle (the
 * lower median for an even batch, as torch.median). Starts at sqrt(2) log(C - 1). The scale is not differentiated.
 * B_avg sums over every class, so AdaCos does not sample classes.
 */
public final class AdaCosScale implements MarginPolicy {
    /** The angles are taken of cosines clamped to [-1 + 1e-7, 1 - 1e-7], as the reference code does. */
    private static final double COS_LIMIT = 1 - 1e-7;

    private final Margin base;
    private float scale;

    /** {@code base} supplies everything but the scale; {@code classes} sets the initial scale. */
    public AdaCosScale(Margin base, int classes) {
        if (classes < 3) {
            throw new IllegalArgumentException("AdaCos needs at least 3 classes (its first scale is sqrt(2) log(C - 1)), "
                    + "got " + classes);
        }
        this.base = base;
        this.scale = (float) (Math.sqrt(2) * Math.log(classes - 1));
    }

    /** The scale of the last step (the initial one before any step). */
    public float scale() {
        return scale;
    }

    @Override
    public Margin margin(MarginStep step) {
        int batch = step.batch();
        float[] stats = step.targetStatistics(scale);
        double sum = 0;
        double[] angles = new double[batch];
        for (int r = 0; r < batch; r++) {
            sum += Math.exp(stats[2 * r + 1]);
            angles[r] = Math.acos(Math.clamp(stats[2 * r], -COS_LIMIT, COS_LIMIT));
        }
        Arrays.sort(angles);
        double median = angles[(batch - 1) / 2];
        scale = (float) (Math.log(sum / batch) / Math.cos(Math.min(Math.PI / 4, median)));
        return base.withScale(scale);
    }

    @Override
    public boolean needsAllClasses() {
        return true;
    }

    @Override
    public void saveState(ObjectNode state) {
        state.put("adaCosScale", (double) scale); // the float exactly, widened
    }

    @Override
    public void restoreState(JsonNode state) {
        scale = (float) state.path("adaCosScale").asDouble();
    }
}
