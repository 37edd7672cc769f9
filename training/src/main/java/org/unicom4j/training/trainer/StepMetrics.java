package org.unicom4j.training.trainer;

/**
 * What one training step reports: its epoch (0-based), steps completed (1-based) of the total, its loss and
 * learning rate, the number of classes sampled, the backbone gradient norm before clipping (NaN when clipping
 * is off), the throughput and remaining time estimated since this process started training, and, when the step
 * ended its epoch, that epoch's tally (else null).
 */
public record StepMetrics(int epoch, long step, long totalSteps, float loss, float learningRate,
                          int sampledClasses, double gradNorm, double imagesPerSecond, double etaSeconds,
                          EpochTally epochEnded) {
}
