package org.unicom4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.unicom4j.kernels.Margin;

/**
 * Margin softmax cross-entropy with its straight-through gradient (see
 * {@link org.unicom4j.kernels.PrototypeLosses#marginSoftmaxLoss}): rows in parallel, each row in three vector passes
 * (max, exp and sum, scale). The target's plain logit s*cos_y is never exponentiated, because with a margin
 * it can exceed the row's true maximum by s*m and overflow the sum.
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
    private float[] cos, dCos;
    private int[] labels;
    private int cosOff, dCosOff, labelOff, rows, cols;
    private Margin margin;

    CpuMarginSoftmax(ParallelLoop loop) {
        this.loop = loop;
    }

    synchronized float compute(CpuFloats cos, CpuInts labels, int rows, int cols, Margin margin, CpuFloats dCos) {
        this.cos = cos.array();
        this.cosOff = cos.offset();
        this.dCos = dCos.array();
        this.dCosOff = dCos.offset();
        this.labels = labels.array();
        this.labelOff = labels.offset();
        this.rows = rows;
        this.cols = cols;
        this.margin = margin;
        if (rowLoss.length < rows) {
            rowLoss = new double[rows];
        }
        try {
            loop.forRange(rows, 24L * cols, body);
        } finally {
            this.cos = this.dCos = null;
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
        float s = margin.scale();
        double targetLogit = targetLogit(c[base + y], margin);
        float otherMax = Math.max(max(c, base, y), max(c, base + y + 1, cols - y - 1));
        float shift = (float) Math.max(s * otherMax, targetLogit);
        double sum = expInto(c, base, g, out, y, s, shift)
                + expInto(c, base + y + 1, g, out + y + 1, cols - y - 1, s, shift);
        double targetExp = Math.exp(targetLogit - shift);
        sum += targetExp;
        float factor = (float) (s / (sum * rows));
        FloatVector f = FloatVector.broadcast(SPECIES, factor);
        int j = 0;
        for (; j <= cols - LANES; j += LANES) {
            FloatVector.fromArray(SPECIES, g, out + j).mul(f).intoArray(g, out + j);
        }
        for (; j < cols; j++) {
            g[out + j] *= factor;
        }
        g[out + y] = (float) (s * (targetExp / sum - 1) / rows);
        return -Math.max(targetLogit - shift - Math.log(sum), LOG_MIN_PROBABILITY);
    }

    /** z_y: s*(cos - m3) for CosFace, s*cos(acos(cos) + m2) for ArcFace (no easy-margin correction). */
    private static double targetLogit(float cosY, Margin margin) {
        if (margin.isCosFace()) {
            return margin.scale() * ((double) cosY - margin.additive());
        }
        return margin.scale() * Math.cos(Math.acos(cosY) + margin.angular());
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
