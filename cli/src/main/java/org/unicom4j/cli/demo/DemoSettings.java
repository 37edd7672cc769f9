package org.unicom4j.cli.demo;

import java.nio.file.Path;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.vit.VitConfig;

/** What the demo was asked to do (the command-line options, checked), and the ViT it trains. */
public record DemoSettings(Path data, boolean download, Path out, String backend, VitConfig model, int clusters,
                           int trainImages,
                           int testImages, ClusterFeatures clusterFeatures, int rounds, int epochs,
                           int finetuneEpochs, int batch, long seed, boolean baselines,
                           DemoRecipe recipe) {
    /** Fashion-MNIST's 28x28 grayscale images. */
    public static final int IMAGE_SIZE = 28;
    /** The embedding evaluated, as in the metric-learning literature for small datasets. */
    public static final int EMBEDDING = 128;

    /**
     * A ViT of the Unicom shape sized for a 2-core CPU: {@code patch} x {@code patch} tiles of the 28x28 image,
     * {@code depth} blocks of {@code width} with 4 heads and a 4x MLP, a 128-d embedding, no stochastic depth.
     */
    public static VitConfig vit(int patch, int width, int depth) {
        if (patch < 1 || IMAGE_SIZE % patch != 0 || width < 4 || width % 4 != 0 || depth < 1) {
            throw new InvalidInputException("--patch must divide 28, --width be a multiple of 4 and --depth >= 1, got "
                    + patch + ", " + width + ", " + depth);
        }
        return new VitConfig(IMAGE_SIZE, 1, patch, width, depth, 4, 4 * width, EMBEDDING, 0.0);
    }

    public DemoSettings {
        if (clusters < 2) {
            throw new InvalidInputException("--clusters must be >= 2, got " + clusters);
        }
        if (trainImages < batch || trainImages > 60_000) {
            throw new InvalidInputException("--train-images must be in [" + batch + ", 60000], got " + trainImages);
        }
        if (testImages < 10 || testImages > 10_000) {
            throw new InvalidInputException("--test-images must be in [10, 10000], got " + testImages);
        }
        if (epochs < 0 || finetuneEpochs < 0 || epochs + finetuneEpochs == 0) {
            throw new InvalidInputException("--epochs and --finetune-epochs must be >= 0, not both 0, got "
                    + epochs + " and " + finetuneEpochs);
        }
        if (rounds < 1) {
            throw new InvalidInputException("--rounds must be >= 1, got " + rounds);
        }
        if (batch < 16) {
            throw new InvalidInputException("--batch must be >= 16 (the BatchNorm head needs it), got " + batch);
        }
    }
}
