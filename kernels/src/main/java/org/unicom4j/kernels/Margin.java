package org.unicom4j.kernels;

/**
 * The margin applied to the target logit of the margin softmax (spec unicom.md section 3, step 4).
 * ArcFace when {@code additive == 0}: z_y = s * cos(theta_y + angular); CosFace when {@code additive > 0}:
 * z_y = s * (cos_y - additive). Every other logit is s * cos.
 *
 * @param scale    s (32 when fine-tuning, 64 in pre-training)
 * @param angular  m2, the ArcFace angular margin in radians (0.3 by default)
 * @param additive m3, the CosFace additive margin (0 for ArcFace)
 */
public record Margin(float scale, float angular, float additive) {

    public Margin {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("margin scale s must be positive and finite, got " + scale);
        }
        if (angular < 0 || additive < 0 || !Float.isFinite(angular) || !Float.isFinite(additive)) {
            throw new IllegalArgumentException("margins must be finite and >= 0, got m2=" + angular + " m3=" + additive);
        }
    }

    public static Margin arcFace(float scale, float angular) {
        return new Margin(scale, angular, 0f);
    }

    public static Margin cosFace(float scale, float additive) {
        return new Margin(scale, 0f, additive);
    }

    public boolean isCosFace() {
        return additive > 0;
    }
}
