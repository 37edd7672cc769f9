package org.unicom4j.training.trainer;

/** What one training step reports: position, loss, learning rate and throughput so far. */
public record StepMetrics(int epoch, long step, long totalSteps, float loss, float learningRate,
                          int sampledClasses, double imagesPerSecond, double etaSeconds) {
}
