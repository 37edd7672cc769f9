package org.unicom4j.training.trainer;

/**
 * What one training step reports: steps completed (1-based) of the total, its loss and learning rate, the
 * number of classes sampled, and the throughput and remaining time estimated since training started.
 */
public record StepMetrics(int epoch, long step, long totalSteps, float loss, float learningRate,
                          int sampledClasses, double imagesPerSecond, double etaSeconds) {
}
