package org.unicom4j.training.optim;

/**
 * PyTorch's OneCycleLR with cosine annealing (spec unicom.md section 5): warm-up over pctStart of the steps
 * from maxLr/divFactor to maxLr, then down to initial/finalDivFactor; beta1 cycles the opposite way,
 * maxBeta1 -> baseBeta1 -> maxBeta1. Phase ends as PyTorch places them: pctStart*total - 1 and total - 1.
 */
public final class OneCycleSchedule implements Schedule {
    private final float maxLr;
    private final float initialLr;
    private final float finalLr;
    private final float baseBeta1;
    private final float maxBeta1;
    private final double warmupEnd;
    private final double end;

    public OneCycleSchedule(float maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor,
                            float baseBeta1, float maxBeta1) {
        if (totalSteps < 2) {
            throw new IllegalArgumentException("OneCycle needs at least 2 steps, got " + totalSteps);
        }
        this.maxLr = maxLr;
        this.initialLr = (float) (maxLr / divFactor);
        this.finalLr = (float) (initialLr / finalDivFactor);
        this.baseBeta1 = baseBeta1;
        this.maxBeta1 = maxBeta1;
        this.warmupEnd = pctStart * totalSteps - 1;
        this.end = totalSteps - 1;
    }

    /** The fine-tuning defaults: 10% warm-up, div 25, final div 1e4, beta1 0.95 -> 0.85 -> 0.95. */
    public static OneCycleSchedule unicomDefaults(float maxLr, long totalSteps) {
        return new OneCycleSchedule(maxLr, totalSteps, 0.1, 25, 1e4, 0.85f, 0.95f);
    }

    @Override
    public float learningRate(long step) {
        return step <= warmupEnd
                ? cosine(initialLr, maxLr, step / warmupEnd)
                : cosine(maxLr, finalLr, (step - warmupEnd) / (end - warmupEnd));
    }

    @Override
    public float beta1(long step) {
        return step <= warmupEnd
                ? cosine(maxBeta1, baseBeta1, step / warmupEnd)
                : cosine(baseBeta1, maxBeta1, (step - warmupEnd) / (end - warmupEnd));
    }

    private static float cosine(float from, float to, double fraction) {
        double f = Math.min(1, Math.max(0, Double.isFinite(fraction) ? fraction : 1));
        return (float) (to + (from - to) / 2 * (1 + Math.cos(Math.PI * f)));
    }
}
