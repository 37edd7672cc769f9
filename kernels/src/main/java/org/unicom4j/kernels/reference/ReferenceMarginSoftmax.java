package org.unicom4j.kernels.reference;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;

/**
 * The margin softmax of every {@link Margin}, the per-row statistics and sub-centre pooling, in double, written
 * from the papers' formulas: the target as the official ArcFace code writes it (c cos m - sqrt(1 - c^2) sin m,
 * the fallback c - m sin m), its derivative by hand, one row at a time.
 */
final class ReferenceMarginSoftmax {
    /** The reference clamps p_y at 1e-30 before the log. */
    private static final double MIN_PROBABILITY = 1e-30;
    /** sin(theta) is floored here in derivatives, which are unbounded at |cos| = 1. */
    private static final double MIN_SINE = 1e-6;

    private ReferenceMarginSoftmax() {
    }

    static float loss(DeviceFloats cos, int rows, int cols, IndexList labels, Margin m, DeviceFloats rowMargins,
                      DeviceFloats dCos) {
        HostFloats c = new HostFloats(cos), g = new HostFloats(dCos);
        HostFloats rm = rowMargins == null ? null : new HostFloats(rowMargins);
        HostInts y = new HostInts(labels.ints());
        double loss = 0;
        double[] z = new double[cols], dz = new double[cols];
        for (int r = 0; r < rows; r++) {
            int label = y.get(r);
            double m2 = rm == null ? m.angular() : rm.get(2L * r), m3 = rm == null ? m.additive() : rm.get(2L * r + 1);
            double cy = clamped(c.get((long) r * cols + label), m.clampEps());
            double hardThreshold = cy * Math.cos(m2) - sine(cy) * Math.sin(m2); // cos(theta_y + m2)
            for (int j = 0; j < cols; j++) {
                double raw = c.get((long) r * cols + j), cj = clamped(raw, m.clampEps());
                double inside = cj == raw ? 1 : 0; // a clamp passes no gradient
                double[] v = j == label ? target(cj, m2, m3, m) : other(cj, hardThreshold, m);
                z[j] = m.scale() * v[0];
                dz[j] = m.scale() * v[1] * inside;
            }
            double[] p = z.clone();
            ReferenceAttention.softmax(p);
            for (int j = 0; j < cols; j++) {
                g.set((long) r * cols + j, dz[j] * (p[j] - (j == label ? 1 : 0)) / rows);
            }
            loss -= Math.log(Math.max(p[label], MIN_PROBABILITY));
        }
        return (float) (loss / rows);
    }

    /** {z_y / s, d(z_y / s) / d c} for the target cosine c with margins m2, m3. */
    private static double[] target(double c, double m2, double m3, Margin m) {
        double phi, d;
        if (m.logits() == Margin.Logits.LINEAR_ANGLE) {
            phi = (Math.PI - 2 * (Math.acos(c) + m2)) / Math.PI;
            d = 2 / (Math.PI * Math.max(sine(c), MIN_SINE));
        } else if (m2 == 0) {
            phi = c;
            d = 1;
        } else {
            double arc = c * Math.cos(m2) - sine(c) * Math.sin(m2);
            double dArc = Math.cos(m2) + c * Math.sin(m2) / Math.max(sine(c), MIN_SINE);
            switch (m.target()) {
                case FALLBACK -> {
                    boolean ok = c > Math.cos(Math.PI - m2);
                    phi = ok ? arc : c - Math.sin(Math.PI - m2) * m2;
                    d = ok ? dArc : 1;
                }
                case EASY -> {
                    phi = c > 0 ? arc : c;
                    d = c > 0 ? dArc : 1;
                }
                default -> { // CLIPPED
                    double angle = Math.acos(c) + m2, eps = m.clampEps();
                    double clipped = Math.min(Math.max(angle, eps), Math.PI - eps);
                    phi = Math.cos(clipped);
                    d = clipped == angle ? dArc : 0;
                }
            }
        }
        return new double[] {phi - m3, m.gradient() == Margin.Gradient.EXACT ? d : 1};
    }

    /** {z_j / s, d(z_j / s) / d c} for a non-target cosine c. */
    private static double[] other(double c, double hardThreshold, Margin m) {
        return switch (m.logits()) {
            case COSINE -> new double[] {c, 1};
            case LINEAR_ANGLE -> new double[] {(Math.PI - 2 * Math.acos(c)) / Math.PI,
                2 / (Math.PI * Math.max(sine(c), MIN_SINE))};
            case CURRICULAR -> c > hardThreshold ? new double[] {c * (m.hardNegative() + c), m.hardNegative() + 2 * c}
                    : new double[] {c, 1};
        };
    }

    private static double sine(double c) {
        return Math.sqrt(Math.max(0, 1 - c * c));
    }

    private static double clamped(double c, double eps) {
        return eps > 0 ? Math.min(Math.max(c, -1 + eps), 1 - eps) : c;
    }

    static void targetStatistics(DeviceFloats cos, int rows, int cols, IndexList labels, float scale,
                                 DeviceFloats stats) {
        HostFloats c = new HostFloats(cos), out = new HostFloats(stats);
        HostInts y = new HostInts(labels.ints());
        for (int r = 0; r < rows; r++) {
            int label = y.get(r);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                if (j != label) {
                    max = Math.max(max, scale * c.get((long) r * cols + j));
                }
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                if (j != label) {
                    sum += Math.exp(scale * c.get((long) r * cols + j) - max);
                }
            }
            out.set(2L * r, c.get((long) r * cols + label));
            out.set(2L * r + 1, cols == 1 ? Double.NEGATIVE_INFINITY : max + Math.log(sum));
        }
    }

    static void subCentreMax(DeviceFloats cosRows, int rows, int classes, int k, DeviceFloats cos,
                             DeviceInts argmax) {
        HostFloats in = new HostFloats(cosRows), out = new HostFloats(cos);
        HostInts arg = new HostInts(argmax);
        for (int r = 0; r < rows; r++) {
            for (int cl = 0; cl < classes; cl++) {
                long base = ((long) r * classes + cl) * k;
                int best = 0;
                for (int i = 1; i < k; i++) {
                    if (in.get(base + i) > in.get(base + best)) {
                        best = i;
                    }
                }
                out.set((long) r * classes + cl, in.get(base + best));
                arg.set((long) r * classes + cl, best);
            }
        }
    }

    static void subCentreMaxBackward(DeviceFloats dCos, DeviceInts argmax, int rows, int classes, int k,
                                     DeviceFloats dCosRows) {
        HostFloats g = new HostFloats(dCos), out = new HostFloats(dCosRows);
        HostInts arg = new HostInts(argmax);
        for (long rc = 0; rc < (long) rows * classes; rc++) {
            for (int i = 0; i < k; i++) {
                out.set(rc * k + i, i == arg.get(rc) ? g.get(rc) : 0);
            }
        }
    }
}
