package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Margin;

/**
 * The scalar maths of a {@link Margin} in double, per logit: value and slope (d logit / d cos, over s) of the
 * target and of the other logits. The angular margin is applied as cos(acos(c) + m), its slope as
 * sin(theta + m) / sin(theta).
 */
final class MarginLogits {
    /** sin(theta) is floored here in slopes, which are unbounded at |cos| = 1. */
    private static final double MIN_SINE = 1e-6;

    private MarginLogits() {
    }

    /** c clamped to [-1 + eps, 1 - eps] when eps > 0. */
    static double clamp(double c, double eps) {
        return eps > 0 ? Math.min(Math.max(c, -1 + eps), 1 - eps) : c;
    }

    /** The target's z_y / s for its (clamped) cosine c and margins m2, m3. */
    static double target(double c, double m2, double m3, Margin m) {
        double theta = Math.acos(c);
        if (m.logits() == Margin.Logits.LINEAR_ANGLE) {
            return 1 - 2 * (theta + m2) / Math.PI - m3;
        }
        if (m2 == 0) {
            return c - m3;
        }
        double phi = switch (m.target()) {
            case FALLBACK -> theta + m2 < Math.PI ? Math.cos(theta + m2) : c - m2 * Math.sin(m2);
            case EASY -> c > 0 ? Math.cos(theta + m2) : c;
            case CLIPPED -> Math.cos(Math.clamp(theta + m2, m.clampEps(), Math.PI - m.clampEps()));
        };
        return phi - m3;
    }

    /** d(z_y / s) / d c: 1 when straight-through, else the true slope of {@link #target}. */
    static double targetSlope(double c, double m2, Margin m) {
        if (m.gradient() == Margin.Gradient.STRAIGHT_THROUGH) {
            return 1;
        }
        double theta = Math.acos(c);
        if (m.logits() == Margin.Logits.LINEAR_ANGLE) {
            return 2 / (Math.PI * sine(theta));
        }
        if (m2 == 0) {
            return 1;
        }
        double angle = theta + m2;
        boolean arc = switch (m.target()) {
            case FALLBACK -> angle < Math.PI;
            case EASY -> c > 0;
            case CLIPPED -> angle >= m.clampEps() && angle <= Math.PI - m.clampEps();
        };
        if (!arc) {
            return m.target() == Margin.Target.CLIPPED ? 0 : 1;
        }
        return Math.sin(angle) / sine(theta);
    }

    /** cos(theta_y + m2), above which CurricularFace counts a negative as hard. */
    static double hardThreshold(double cy, double m2) {
        return Math.cos(Math.acos(cy) + m2);
    }

    /** z_j / s for a non-target (clamped) cosine c. */
    static double other(double c, double hardThreshold, Margin m) {
        return switch (m.logits()) {
            case COSINE -> c;
            case LINEAR_ANGLE -> 1 - 2 * Math.acos(c) / Math.PI;
            case CURRICULAR -> c > hardThreshold ? c * (m.hardNegative() + c) : c;
        };
    }

    /** d(z_j / s) / d c. */
    static double otherSlope(double c, double hardThreshold, Margin m) {
        return switch (m.logits()) {
            case COSINE -> 1;
            case LINEAR_ANGLE -> 2 / (Math.PI * sine(Math.acos(c)));
            case CURRICULAR -> c > hardThreshold ? m.hardNegative() + 2 * c : 1;
        };
    }

    private static double sine(double theta) {
        return Math.max(Math.sin(theta), MIN_SINE);
    }
}
