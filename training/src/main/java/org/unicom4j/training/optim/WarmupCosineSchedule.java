package org.unicom4j.training.optim;

/** Linear warm-up from 0 to the peak over warmupSteps, then cosine decay to minLr at totalSteps; fixed beta1. */
public final class WarmupCosineSchedule implements Schedule {
    private final float peakLr;
    private final float minLr;
    private final long warmupSteps;
    private final long totalSteps;
    private final float beta1;

    public WarmupCosineSchedule(float peakLr, float minLr, long warmupSteps, long totalSteps, float beta1) {
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("need 0 <= warmup (" + warmupSteps + ") < total (" + totalSteps + ")");
        }
        this.peakLr = peakLr;
        this.minLr = minLr;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.beta1 = beta1;
    }

    @Override
    public float learningRate(long step) {
        if (step < warmupSteps) {
            return peakLr * (step + 1) / warmupSteps;
        }
        double f = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
        return (float) (minLr + (peakLr - minLr) / 2 * (1 + Math.cos(Math.PI * f)));
    }

    @Override
    public float beta1(long step) {
        return beta1;
    }
}
