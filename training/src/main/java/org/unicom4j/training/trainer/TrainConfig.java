package org.unicom4j.training.trainer;

/**
 * The knobs of a cluster-discrimination (or supervised) training run, as stored in the run's JSON config.
 *
 * @param epochs           passes over the training images
 * @param batchSize        images per step (>= 16: smaller batches break the BatchNorm head, spec section 1)
 * @param learningRate     peak backbone learning rate
 * @param prototypeLrScale prototypes train at this multiple of the backbone rate (10 in the reference)
 * @param weightDecay      AdamW decoupled weight decay
 * @param schedule         "onecycle" or "cosine" (warm-up + cosine)
 * @param warmupFraction   warm-up share of all steps
 * @param classRate        class sampling rate r
 * @param sampledDims      d', the feature dimensions sampled per step
 * @param scale            margin softmax scale s
 * @param angularMargin    ArcFace m2 (0 with CosFace)
 * @param additiveMargin   CosFace m3 (0 with ArcFace)
 * @param seed             seeds initialisation, shuffling, sampling and augmentation
 */
public record TrainConfig(int epochs, int batchSize, float learningRate, float prototypeLrScale, float weightDecay,
                          String schedule, double warmupFraction, double classRate, int sampledDims, float scale,
                          float angularMargin, float additiveMargin, long seed) {

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
    }
}
