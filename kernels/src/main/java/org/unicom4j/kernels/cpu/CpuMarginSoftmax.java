package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.Margin;

/**
 * Margin softmax cross-entropy with its straight-through gradient (see
 * {@link org.unicom4j.kernels.Backend#marginSoftmaxLoss}). (Scalar first version.)
 */
final class CpuMarginSoftmax {
    private CpuMarginSoftmax() {
    }

    static float loss(CpuFloats cos, CpuInts labels, int rows, int cols, Margin margin, CpuFloats dCos) {
        float[] c = cos.array(), g = dCos.array();
        int[] y = labels.array();
        int co = cos.offset(), go = dCos.offset(), yo = labels.offset();
        double total = 0;
        float s = margin.scale();
        for (int r = 0; r < rows; r++) {
            int label = y[yo + r], row = co + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, logit(c[row + j], j == label, margin));
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(logit(c[row + j], j == label, margin) - max);
            }
            for (int j = 0; j < cols; j++) {
                double p = Math.exp(logit(c[row + j], j == label, margin) - max) / sum;
                g[go + r * cols + j] = (float) (s * (p - (j == label ? 1 : 0)) / rows);
                if (j == label) {
                    total -= Math.log(Math.max(p, 1e-30));
                }
            }
        }
        return (float) (total / rows);
    }

    private static float logit(float cos, boolean target, Margin margin) {
        if (!target) {
            return margin.scale() * cos;
        }
        if (margin.isCosFace()) {
            return margin.scale() * (cos - margin.additive());
        }
        return (float) (margin.scale() * Math.cos(Math.acos(cos) + margin.angular()));
    }
}
