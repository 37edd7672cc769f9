package org.unicom4j.training.trainer;

/**
 * What one training step reports: its epoch (0-based), steps completed (1-based) of the total, its loss and
 * learning rate, the number of classes sampled, the backbone gradient norm before clipping (NaN when clipping
 * is off), the throughput and remaining time estimated since this process started training, when the step
 * ended its epoch, that epoch's tally (else null), and the loss's terms when the method has several (else empty).
 */
public record StepMetrics(int epoch, long step, long totalSteps, float loss, float learningRate,
                          int sampledClasses, double gradNorm, double imagesPerSecond, double etaSeconds,
                          EpochTally epochEnded, java.util.Map<String, Float> lossTerms) {

    /** A step of a loss without separate terms. */
    public StepMetrics(int epoch, long step, long totalSteps, float loss, float learningRate, int sampledClasses,
                       double gradNorm, double imagesPerSecond, double etaSeconds, EpochTally epochEnded) {
        this(epoch, step, totalSteps, loss, learningRate, sampledClasses, gradNorm, imagesPerSecond, etaSeconds,
                epochEnded, java.util.Map.of());
    }
}
