package org.unicom4j.training.trainer;

import org.unicom4j.data.augment.PixelShift;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.TestData;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitInitializer;
import org.unicom4j.training.loss.CurricularStatistic;
import org.unicom4j.training.loss.SampledMarginSoftmax;
import org.unicom4j.training.unicom.UnicomLearner;

/**
 * A run small enough for unit tests that still exercises every random stream: 8x8 grayscale images, 2 blocks
 * with stochastic depth, class sampling with negatives (rate 0.5 of 40 classes), dimension sampling (12 of 16),
 * shift-and-flip augmentation, gradient clipping; 56 images in batches of 16 give 3 steps per epoch.
 */
public final class TinyTraining {
    public static final VitConfig MODEL = new VitConfig(8, 1, 4, 16, 2, 2, 32, 16, 0.2);
    public static final int CLASSES = 40;
    public static final int BATCH = 16;
    public static final long SEED = 7;

    private TinyTraining() {
    }

    public static InMemoryImages images(long seed, int count) {
        float[] pixels = TestData.uniform(seed, count * 64);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (int) ((i * 7L + seed) % CLASSES);
        }
        return new InMemoryImages(pixels, labels, 1, 8, new PixelShift(1, true));
    }

    public static TrainConfig config(int epochs, float learningRate) {
        return new TrainConfig(epochs, BATCH, learningRate, "onecycle", 0.2, 1f, SEED);
    }

    /** A freshly initialised model (different {@code initSeed}s give different weights). */
    public static VisionTransformer model(Backend backend, long initSeed) {
        VisionTransformer model = new VisionTransformer(backend, MODEL);
        VitInitializer.initializeFromScratch(model, initSeed);
        return model;
    }

    /** Unicom's learner over {@code model}: ArcFace s 32 m 0.3, prototypes at 10x, weight decay 0.05. */
    public static UnicomLearner learner(VisionTransformer model) {
        return new UnicomLearner(model, new SampledMarginSoftmax(model.backend(), CLASSES, MODEL.embedding(), 12, 0.5,
                new Margin(32f, 0.3f, 0f), BATCH), 10f, 0.05f, BATCH, SEED);
    }

    /** A trainer of {@link #learner} on {@code images}. */
    public static Trainer trainer(VisionTransformer model, TrainingImages images, TrainConfig config,
                                  Prefetch prefetch) {
        return new Trainer(learner(model), images, config, prefetch);
    }

    /**
     * CurricularFace with 2 sub-centres per class (the running t and sub-centre pooling on top of the sampled path),
     * class rate 0.5 and 12 of 16 dims.
     */
    public static SampledMarginSoftmax curricularSubCentres(Backend backend) {
        return new SampledMarginSoftmax(backend, CLASSES, 2, MODEL.embedding(), 12, 0.5, new CurricularStatistic(
                Margin.arcFace(16f, 0.3f).withLogits(Margin.Logits.CURRICULAR).withGradient(Margin.Gradient.EXACT)),
                BATCH);
    }
}
