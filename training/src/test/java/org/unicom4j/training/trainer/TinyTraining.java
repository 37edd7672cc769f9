package org.unicom4j.training.trainer;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.TestData;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitInitializer;

/**
 * A run small enough for unit tests that still exercises every random stream: 8x8 grayscale images, 2 blocks
 * with stochastic depth, class sampling with negatives (rate 0.5 of 40 classes), dimension sampling (12 of 16),
 * shift-and-flip augmentation, gradient clipping; 56 images in batches of 16 give 3 steps per epoch.
 */
public final class TinyTraining {
    public static final VitConfig MODEL = new VitConfig(8, 1, 4, 16, 2, 2, 32, 16, 0.2);
    public static final int CLASSES = 40;

    private TinyTraining() {
    }

    public static InMemoryImages images(long seed, int count) {
        float[] pixels = TestData.uniform(seed, count * 64);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (int) ((i * 7L + seed) % CLASSES);
        }
        return new InMemoryImages(pixels, labels, 1, 8, 1, true);
    }

    public static TrainConfig config(int epochs, float learningRate) {
        return new TrainConfig(epochs, 16, learningRate, 10f, 0.05f, "onecycle", 0.2, 0.5, 12, 32f, 0.3f, 0f, 7L,
                1f);
    }

    /** A freshly initialised model (different {@code initSeed}s give different weights). */
    public static VisionTransformer model(Backend backend, long initSeed) {
        VisionTransformer model = new VisionTransformer(backend, MODEL);
        VitInitializer.initializeFromScratch(model, initSeed);
        return model;
    }
}
