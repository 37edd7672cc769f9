package org.unicom4j.cli.demo;

import java.nio.file.Path;

/** What the demo was asked to do (the command-line options, checked). */
public record DemoSettings(Path data, boolean download, Path out, String backend, int clusters, int trainImages,
                           int testImages, ClusterFeatures clusterFeatures, int rounds, int epochs,
                           int finetuneEpochs, int batch, long seed, boolean baselines,
                           DemoRecipe recipe) {
    public DemoSettings {
        if (clusters < 2) {
            throw new IllegalArgumentException("--clusters must be >= 2, got " + clusters);
        }
        if (trainImages < batch || trainImages > 60_000) {
            throw new IllegalArgumentException("--train-images must be in [" + batch + ", 60000], got " + trainImages);
        }
        if (testImages < 10 || testImages > 10_000) {
            throw new IllegalArgumentException("--test-images must be in [10, 10000], got " + testImages);
        }
        if (epochs < 0 || finetuneEpochs < 0 || epochs + finetuneEpochs == 0) {
            throw new IllegalArgumentException("--epochs and --finetune-epochs must be >= 0, not both 0, got "
                    + epochs + " and " + finetuneEpochs);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (batch < 16) {
            throw new IllegalArgumentException("--batch must be >= 16 (the BatchNorm head needs it), got " + batch);
        }
    }
}
