package org.unicom4j.training.loss;

import org.unicom4j.kernels.Margin;

/**
 * ArcFace with a margin per class from the class counts (spec unifex.md): m_c = m_min + (m_max - m_min)(1 +
 * cos(pi nhat_c)) / 2, nhat_c the count of class c min-max normalised over the classes that have images, so the
 * rarest class gets m_max and the most frequent m_min (every class m_max when all counts are equal). Row r's target
 * uses its class's margin.
 */
public final class ClassMargins implements MarginPolicy {
    private final Margin base;
    private final float[] perClass;

    /** {@code base} supplies everything but the angular margin. */
    public ClassMargins(Margin base, long[] counts, double minMargin, double maxMargin) {
        if (!(minMargin >= 0 && minMargin <= maxMargin)) {
            throw new IllegalArgumentException("per-class margins need 0 <= min <= max, got " + minMargin + ", "
                    + maxMargin);
        }
        this.base = base;
        this.perClass = margins(counts, minMargin, maxMargin);
    }

    static float[] margins(long[] counts, double minMargin, double maxMargin) {
        long lo = Long.MAX_VALUE, hi = 0;
        for (long n : counts) {
            if (n > 0) {
                lo = Math.min(lo, n);
                hi = Math.max(hi, n);
            }
        }
        float[] m = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            double nhat = hi <= lo ? 0 : Math.clamp((double) (counts[c] - lo) / (hi - lo), 0, 1);
            m[c] = (float) (minMargin + (maxMargin - minMargin) * (1 + Math.cos(Math.PI * nhat)) / 2);
        }
        return m;
    }

    /** Class c's margin. */
    public float margin(int c) {
        return perClass[c];
    }

    @Override
    public Margin margin(MarginStep step) {
        float[] rows = step.rowMargins();
        int[] labels = step.labels();
        for (int r = 0; r < step.batch(); r++) {
            rows[2 * r] = perClass[labels[r]];
            rows[2 * r + 1] = base.additive();
        }
        return base;
    }

    @Override
    public boolean perRowMargins() {
        return true;
    }
}
