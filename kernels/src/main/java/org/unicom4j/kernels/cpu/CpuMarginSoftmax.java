package org.unicom4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.unicom4j.kernels.Margin;

/**
 * Margin softmax cross-entropy with its gradient for every {@link Margin} (see
 * {@link org.unicom4j.kernels.PrototypeLosses#marginSoftmaxLoss}): rows in parallel. With plain cosine logits
 * (z_j = s c_j) a row takes three vector passes (max, exp and sum, scale); the other logit maps
 * ({@link MarginLogits}) take the same passes in scalar code. The target's plain logit s*cos_y is never
 * exponentiated, because with a margin it can exceed the row's true maximum by s*m and overflow the sum.
 *
 * <p>One call at a time per instance (synchronized); the running call's arguments sit in fields so the
 * parallel body is allocated once.
 */
final class CpuMarginSoftmax {
    private static final VectorSpecies<Float> SPECIES = VectorExp.SPECIES;
    private static final int LANES = SPECIES.length();
    /** log(1e-30): the floor of log p_y, the reference's clamp of p_y at 1e-30. */
    private static final double LOG_MIN_PROBABILITY = Math.log(1e-30);

    private final ParallelLoop loop;
    private final ParallelLoop.Range body = this::rows;
    private double[] rowLoss = new double[0];

    // Arguments of the running call (read by the parallel body).
    private float[] cos, dCos, rowMargins;
    private int[] labels;
    private int cosOff, dCosOff, labelOff, rowMarginOff, rows, cols;
    private Margin margin;

    CpuMarginSoftmax(ParallelLoop loop) {
        this.loop = loop;
    }

    synchronized float compute(CpuFloats cos, CpuInts labels, int rows, int cols, Margin margin,
                               CpuFloats rowMargins, CpuFloats dCos) {
        this.cos = cos.array();
        this.cosOff = cos.offset();
        this.dCos = dCos.array();
        this.dCosOff = dCos.offset();
        this.labels = labels.array();
        this.labelOff = labels.offset();
        this.rowMargins = rowMargins == null ? null : rowMargins.array();
        this.rowMarginOff = rowMargins == null ? 0 : rowMargins.offset();
        this.rows = rows;
        this.cols = cols;
        this.margin = margin;
        if (rowLoss.length < rows) {
            rowLoss = new double[rows];
        }
        try {
            loop.forRange(rows, 24L * cols, body);
        } finally {
            this.cos = this.dCos = this.rowMargins = null;
            this.labels = null;
        }
        double total = 0;
        for (int r = 0; r < rows; r++) {
            total += rowLoss[r];
        }
        return (float) (total / rows);
    }

    private void rows(int from, int to) {
        for (int r = from; r < to; r++) {
            rowLoss[r] = row(r);
        }
    }

    /** Writes row r of dCos and returns -log(max(p_y, 1e-30)). */
    private double row(int r) {
        float[] c = cos, g = dCos;
        int base = cosOff + r * cols, out = dCosOff + r * cols, y = labels[labelOff + r];
        Margin m = margin;
        float s = m.scale();
        double m2 = rowMargins == null ? m.angular() : rowMargins[rowMarginOff + 2 * r];
        double m3 = rowMargins == null ? m.additive() : rowMargins[rowMarginOff + 2 * r + 1];
        double cy = MarginLogits.clamp(c[base + y], m.clampEps());
        double targetLogit = s * MarginLogits.target(cy, m2, m3, m);
        double hard = MarginLogits.hardThreshold(cy, m2);
        float shift;
        double sum;
        if (m.plainOtherLogits()) {
            float otherMax = Math.max(max(c, base, y), max(c, base + y + 1, cols - y - 1));
            shift = (float) Math.max(s * otherMax, targetLogit);
            sum = expInto(c, base, g, out, y, s, shift) + expInto(c, base + y + 1, g, out + y + 1, cols - y - 1, s,
                    shift);
        } else {
            double best = targetLogit;
            for (int j = 0; j < cols; j++) {
                if (j != y) {
                    g[out + j] = (float) (s * MarginLogits.other(MarginLogits.clamp(c[base + j], m.clampEps()), hard,
                            m));
                    best = Math.max(best, g[out + j]);
                }
            }
            shift = (float) best;
            sum = 0;
            for (int j = 0; j < cols; j++) {
                if (j != y) {
                    g[out + j] = VectorExp.exp(g[out + j] - shift);
                    sum += g[out + j];
                }
            }
        }
        double targetExp = Math.exp(targetLogit - shift);
        sum += targetExp;
        if (m.plainOtherLogits()) {
            scale(g, out, cols, (float) (s / (sum * rows)));
        } else {
            slopes(c, base, g, out, y, hard, s / (sum * rows));
        }
        double targetSlope = cy == c[base + y] ? MarginLogits.targetSlope(cy, m2, m) : 0; // a clamp passes none
        g[out + y] = (float) (s * targetSlope * (targetExp / sum - 1) / rows);
        return -Math.max(targetLogit - shift - Math.log(sum), LOG_MIN_PROBABILITY);
    }

    /** g[out + j] *= factor for j < cols. */
    private static void scale(float[] g, int out, int cols, float factor) {
        FloatVector f = FloatVector.broadcast(SPECIES, factor);
        int j = 0;
        for (; j <= cols - LANES; j += LANES) {
            FloatVector.fromArray(SPECIES, g, out + j).mul(f).intoArray(g, out + j);
        }
        for (; j < cols; j++) {
            g[out + j] *= factor;
        }
    }

    /** The non-target entries of a row, holding exp(z_j - shift): times factor and their slope (0 where clamped). */
    private void slopes(float[] c, int base, float[] g, int out, int y, double hard, double factor) {
        Margin m = margin;
        for (int j = 0; j < cols; j++) {
            if (j != y) {
                double cj = MarginLogits.clamp(c[base + j], m.clampEps());
                double slope = cj == c[base + j] ? MarginLogits.otherSlope(cj, hard, m) : 0;
                g[out + j] = (float) (g[out + j] * factor * slope);
            }
        }
    }

    /** max of c[from..from+n), or -infinity when n = 0. */
    private static float max(float[] c, int from, int n) {
        FloatVector m = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j <= n - LANES; j += LANES) {
            m = m.max(FloatVector.fromArray(SPECIES, c, from + j));
        }
        float best = m.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            best = Math.max(best, c[from + j]);
        }
        return best;
    }

    /** g[out + j] = exp(s*c[from + j] - shift) for j < n; returns their sum. */
    private static double expInto(float[] c, int from, float[] g, int out, int n, float s, float shift) {
        FloatVector scale = FloatVector.broadcast(SPECIES, s), minus = FloatVector.broadcast(SPECIES, -shift);
        FloatVector acc = FloatVector.zero(SPECIES);
        int j = 0;
        for (; j <= n - LANES; j += LANES) {
            FloatVector x = VectorExp.exp(FloatVector.fromArray(SPECIES, c, from + j).fma(scale, minus));
            x.intoArray(g, out + j);
            acc = acc.add(x);
        }
        double sum = FloatLanes.sumLanes(acc);
        for (; j < n; j++) {
            float x = VectorExp.exp(Math.fma(c[from + j], s, -shift));
            g[out + j] = x;
            sum += x;
        }
        return sum;
    }
}
