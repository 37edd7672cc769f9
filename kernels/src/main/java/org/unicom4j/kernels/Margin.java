package org.unicom4j.kernels;

/**
 * How the margin softmax turns a row of cosines c_j (label y, scale s) into logits z_j: one description for the
 * whole margin-loss family, read by one kernel (docs/TRAINING.md has the table with each paper).
 *
 * <p>The target logit is z_y = s (phi(c_y) - m3), or for {@link Logits#LINEAR_ANGLE} z_y = s ((pi - 2(theta_y +
 * m2)) / pi - m3), where theta = acos(c) and phi applies the angular margin m2 per {@link Target}. The other
 * logits are s c_j ({@link Logits#COSINE}), s (pi - 2 theta_j) / pi ({@link Logits#LINEAR_ANGLE}), or for
 * {@link Logits#CURRICULAR} s c_j (t + c_j) on the hard negatives c_j > cos(theta_y + m2) and s c_j elsewhere.
 * When the kernel is given per-row margins, row r uses its own (m2, m3) instead of {@link #angular} and
 * {@link #additive}.
 *
 * @param scale        s
 * @param angular      m2, added to the target's angle (radians; may be negative for per-row AdaFace margins)
 * @param additive     m3, subtracted from the target's cosine (CosFace)
 * @param target       how phi treats theta_y + m2 near pi
 * @param logits       how cosines become logits
 * @param gradient     whether the target's derivative includes d phi / d c_y
 * @param hardNegative t of {@link Logits#CURRICULAR} (ignored otherwise)
 * @param clampEps     when > 0, every cosine is first clamped to [-1 + eps, 1 - eps], with zero gradient outside,
 *                     and {@link Target#CLIPPED} clips the angle to [eps, pi - eps] (AdaFace's eps); 0: no clamp
 */
public record Margin(float scale, float angular, float additive, Target target, Logits logits, Gradient gradient,
                     float hardNegative, float clampEps) {

    /** How phi(c) = cos(theta + m) is kept monotonic where theta + m passes pi. */
    public enum Target {
        /** cos(theta + m) while cos theta > cos(pi - m), else cos theta - m sin m (ArcFace's standard fallback). */
        FALLBACK,
        /** cos(theta + m) while cos theta > 0, else cos theta (ArcFace's easy margin). */
        EASY,
        /** cos(clip(theta + m, eps, pi - eps)) with zero gradient where clipped (AdaFace). */
        CLIPPED
    }

    /** How the cosines become logits. */
    public enum Logits {
        /** z = s c. */
        COSINE,
        /** z = s (pi - 2 theta) / pi, linear in the angle (Li-ArcFace). */
        LINEAR_ANGLE,
        /** z = s c (t + c) on hard negatives, s c elsewhere (CurricularFace). */
        CURRICULAR
    }

    /** The derivative the target logit passes back. */
    public enum Gradient {
        /** d z_y / d c_y taken as s: the margin is not differentiated (the Unicom reference's convention). */
        STRAIGHT_THROUGH,
        /** The true derivative s d phi / d c_y (the papers' code that writes the margin in autograd). */
        EXACT
    }

    public Margin {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("margin scale s must be positive and finite, got " + scale);
        }
        if (!Float.isFinite(angular) || !(additive >= 0) || !Float.isFinite(additive)) {
            throw new IllegalArgumentException("margins must be finite (m3 >= 0), got m2=" + angular + " m3="
                    + additive);
        }
        if (target == null || logits == null || gradient == null) {
            throw new IllegalArgumentException("margin target, logits and gradient must be given");
        }
        if (!Float.isFinite(hardNegative) || !(clampEps >= 0 && clampEps < 0.5f)) {
            throw new IllegalArgumentException("margin t must be finite and eps in [0, 0.5), got t=" + hardNegative
                    + " eps=" + clampEps);
        }
    }

    /**
     * The combined margin z_y = s (cos(theta_y + m2) - m3) with the standard fallback and the straight-through
     * gradient: ArcFace when m3 = 0, CosFace when m2 = 0.
     */
    public Margin(float scale, float angular, float additive) {
        this(scale, angular, additive, Target.FALLBACK, Logits.COSINE, Gradient.STRAIGHT_THROUGH, 0f, 0f);
    }

    public static Margin arcFace(float scale, float angular) {
        return new Margin(scale, angular, 0f);
    }

    public static Margin cosFace(float scale, float additive) {
        return new Margin(scale, 0f, additive);
    }

    public Margin withTarget(Target t) {
        return new Margin(scale, angular, additive, t, logits, gradient, hardNegative, clampEps);
    }

    public Margin withLogits(Logits l) {
        return new Margin(scale, angular, additive, target, l, gradient, hardNegative, clampEps);
    }

    public Margin withGradient(Gradient g) {
        return new Margin(scale, angular, additive, target, logits, g, hardNegative, clampEps);
    }

    public Margin withScale(float s) {
        return new Margin(s, angular, additive, target, logits, gradient, hardNegative, clampEps);
    }

    /** CurricularFace's running t for this step. */
    public Margin withHardNegative(float t) {
        return new Margin(scale, angular, additive, target, logits, gradient, t, clampEps);
    }

    public Margin withClampEps(float eps) {
        return new Margin(scale, angular, additive, target, logits, gradient, hardNegative, eps);
    }

    /** Whether the non-target logits are s c with derivative s (the vectorised path of the CPU kernel). */
    public boolean plainOtherLogits() {
        return logits == Logits.COSINE && clampEps == 0;
    }
}
