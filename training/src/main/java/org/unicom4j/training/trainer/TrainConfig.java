package org.unicom4j.training.trainer;

/**
 * The knobs of the training loop of a cluster-discrimination (or supervised) run.
 *
 * @param epochs           passes over the training images
 * @param batchSize        images per step (>= 16: smaller batches break the BatchNorm head, spec section 1)
 * @param learningRate     peak backbone learning rate
 * @param prototypeLrScale prototypes train at this multiple of the backbone rate (10 in the reference)
 * @param weightDecay      AdamW decoupled weight decay
 * @param schedule         "onecycle" or "cosine" (warm-up + cosine)
 * @param warmupFraction   warm-up share of all steps (OneCycle's pct_start)
 * @param classRate        class sampling rate r
 * @param sampledDims      d', the feature dimensions sampled per step
 * @param scale            margin softmax scale s
 * @param angularMargin    ArcFace m2 (0 with CosFace)
 * @param additiveMargin   CosFace m3 (0 with ArcFace)
 * @param seed             seeds initialisation, shuffling, sampling, augmentation and stochastic depth
 * @param maxGradNorm      clip the backbone gradients to this global L2 norm; 0 turns clipping off
 */
public record TrainConfig(int epochs, int batchSize, float learningRate, float prototypeLrScale, float weightDecay,
                          String schedule, double warmupFraction, double classRate, int sampledDims, float scale,
                          float angularMargin, float additiveMargin, long seed, float maxGradNorm) {

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
        if (!(maxGradNorm >= 0) || !Float.isFinite(maxGradNorm)) {
            throw new IllegalArgumentException("maxGradNorm must be >= 0 (0 = no clipping), got " + maxGradNorm);
        }
    }

    /** Without gradient clipping (the reference fine-tuning script does not clip). */
    public TrainConfig(int epochs, int batchSize, float learningRate, float prototypeLrScale, float weightDecay,
                       String schedule, double warmupFraction, double classRate, int sampledDims, float scale,
                       float angularMargin, float additiveMargin, long seed) {
        this(epochs, batchSize, learningRate, prototypeLrScale, weightDecay, schedule, warmupFraction, classRate,
                sampledDims, scale, angularMargin, additiveMargin, seed, 0f);
    }
}
