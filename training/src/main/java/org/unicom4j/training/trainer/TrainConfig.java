package org.unicom4j.training.trainer;

/**
 * The knobs of the engine's training loop, whatever the method: how long, in what batches, at what learning
 * rate, and the one seed of every random stream. The method's own settings (loss, per-group learning-rate
 * multiples, weight decay) go to its {@link Learner}.
 *
 * @param epochs         passes over the training images
 * @param batchSize      items per step (>= 16 for the BatchNorm head, spec section 1)
 * @param learningRate   peak base learning rate
 * @param schedule       "onecycle" or "cosine" (warm-up + cosine)
 * @param warmupFraction warm-up share of all steps (OneCycle's pct_start)
 * @param maxGradNorm    clip the learner's clipped gradients to this global L2 norm; 0 turns clipping off
 * @param seed           seeds shuffling, sampling, augmentation and stochastic depth
 * @param warmupEpochs   the warm-up in epochs instead of {@code warmupFraction} when > 0 (capped below the run)
 * @param floor          cosine: the last learning rate as a share of the peak
 */
public record TrainConfig(int epochs, int batchSize, float learningRate, String schedule, double warmupFraction,
                          float maxGradNorm, long seed, double warmupEpochs, double floor) {

    /** A loop warming up over a share of the steps and ending the cosine at lr/1000. */
    public TrainConfig(int epochs, int batchSize, float learningRate, String schedule, double warmupFraction,
                       float maxGradNorm, long seed) {
        this(epochs, batchSize, learningRate, schedule, warmupFraction, maxGradNorm, seed, 0, 1e-3);
    }

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be >= 2 (16 or more for the BatchNorm head), got "
                    + batchSize);
        }
        if (!schedule.equals("onecycle") && !schedule.equals("cosine")) {
            throw new IllegalArgumentException("schedule must be onecycle or cosine, got " + schedule);
        }
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw new IllegalArgumentException("warmupFraction must be in [0, 1), got " + warmupFraction);
        }
        if (!(warmupEpochs >= 0) || !(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("warmupEpochs must be >= 0 and floor in [0, 1], got " + warmupEpochs
                    + ", " + floor);
        }
        if (!(maxGradNorm >= 0) || !Float.isFinite(maxGradNorm)) {
            throw new IllegalArgumentException("maxGradNorm must be >= 0 (0 = no clipping), got " + maxGradNorm);
        }
    }

    /** Warm-up steps of a run of {@code totalSteps} steps of {@code stepsPerEpoch} each. */
    public long warmupSteps(long stepsPerEpoch, long totalSteps) {
        long steps = warmupEpochs > 0 ? Math.round(warmupEpochs * stepsPerEpoch) : (long) (warmupFraction * totalSteps);
        return Math.min(steps, totalSteps - 1);
    }
}
