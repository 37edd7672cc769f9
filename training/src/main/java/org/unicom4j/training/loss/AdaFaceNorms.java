package org.unicom4j.training.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.unicom4j.kernels.Margin;

/**
 * AdaFace (Kim et al., CVPR 2022, mk-minchul/AdaFace): a margin that adapts to image quality through the feature
 * norm. Each step the norms (clipped to [0.001, 100], not differentiated) update running statistics mu = a mean +
 * (1 - a) mu and sigma = a std + (1 - a) sigma (std unbiased; a the momentum); row r's scaler is
 * clip(h (norm_r - mu) / (sigma + eps), -1, 1), its angular margin -m scaler and its additive margin m + m scaler,
 * applied as cos(clip(theta + m2, eps, pi - eps)) - m3 on cosines clamped to [-1 + eps, 1 - eps] (eps = 1e-3). The
 * norms are the fused cosine kernel's, so AdaFace uses every feature dimension.
 */
public final class AdaFaceNorms implements MarginPolicy {
    /** The reference code's eps. */
    public static final float EPS = 1e-3f;
    private static final double MIN_NORM = 0.001;
    private static final double MAX_NORM = 100;

    private final Margin base;
    private final double m;
    private final double h;
    private final double momentum;
    private float mean;
    private float std;

    /**
     * @param scale    s
     * @param m        the margin m
     * @param h        the concentration h (0.333 in the paper)
     * @param momentum a (0.01 in the paper)
     * @param mean     the first running mean (the reference starts at 20)
     * @param std      the first running std (the reference starts at 100)
     */
    public AdaFaceNorms(float scale, double m, double h, double momentum, float mean, float std) {
        this.base = new Margin(scale, 0f, 0f, Margin.Target.CLIPPED, Margin.Logits.COSINE, Margin.Gradient.EXACT, 0f,
                EPS);
        this.m = m;
        this.h = h;
        this.momentum = momentum;
        this.mean = mean;
        this.std = std;
    }

    public float mean() {
        return mean;
    }

    public float std() {
        return std;
    }

    @Override
    public Margin margin(MarginStep step) {
        int batch = step.batch();
        if (batch < 2) {
            throw new IllegalArgumentException("AdaFace needs at least 2 rows per batch (the norms' std), got " + batch);
        }
        float[] norms = step.embeddingNorms();
        double sum = 0;
        for (int r = 0; r < batch; r++) {
            sum += safe(norms[r]);
        }
        double batchMean = sum / batch, squares = 0;
        for (int r = 0; r < batch; r++) {
            squares += (safe(norms[r]) - batchMean) * (safe(norms[r]) - batchMean);
        }
        mean = (float) (batchMean * momentum + (1 - momentum) * mean);
        std = (float) (Math.sqrt(squares / (batch - 1)) * momentum + (1 - momentum) * std);
        float[] rows = step.rowMargins();
        for (int r = 0; r < batch; r++) {
            double scaler = Math.clamp((safe(norms[r]) - mean) / (std + (double) EPS) * h, -1, 1);
            rows[2 * r] = (float) (-m * scaler);
            rows[2 * r + 1] = (float) (m + m * scaler);
        }
        return base;
    }

    private static double safe(float norm) {
        return Math.clamp(norm, MIN_NORM, MAX_NORM);
    }

    @Override
    public boolean perRowMargins() {
        return true;
    }

    @Override
    public boolean needsAllDims() {
        return true;
    }

    @Override
    public void saveState(ObjectNode state) {
        state.put("adaFaceMean", (double) mean); // the float exactly, widened
        state.put("adaFaceStd", (double) std); // the float exactly, widened
    }

    @Override
    public void restoreState(JsonNode state) {
        mean = (float) state.path("adaFaceMean").asDouble();
        std = (float) state.path("adaFaceStd").asDouble();
    }
}
