package org.unicom4j.cli.demo;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code unicom4j demo}: the whole Unicom pipeline on Fashion-MNIST, ending in a report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The Unicom pipeline on Fashion-MNIST: k-means pseudo-classes on label-free",
                "HOG descriptors, cluster-discrimination training of a small ViT, fine-tuning",
                "with the true labels, leave-one-out retrieval against raw pixels and the",
                "untrained network, and a report. Results: docs/RESULTS.md."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data", description = "folder with the four Fashion-MNIST .gz IDX files "
            + "(default: /usr/share/datasets/fashion-mnist, then ~/.cache/unicom4j/fashion-mnist)")
    Path data;

    @Option(names = "--download", description = "fetch Fashion-MNIST from its official location if it is missing")
    boolean download;

    @Option(names = "--out", defaultValue = "runs/demo", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--backend", defaultValue = "cpu", description = "cpu, opencl or auto (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--patch", defaultValue = "7", description = "ViT patch size, a divisor of 28 (default: ${DEFAULT-VALUE})")
    int patch;

    @Option(names = "--width", defaultValue = "64", description = "ViT width, 4 heads (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--depth", defaultValue = "4", description = "ViT blocks (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--clusters", defaultValue = "1000", description = "k-means pseudo-classes (default: ${DEFAULT-VALUE})")
    int clusters;

    @Option(names = "--train-images", defaultValue = "60000",
            description = "training images used, from the start of the train split (default: ${DEFAULT-VALUE})")
    int trainImages;

    @Option(names = "--test-images", defaultValue = "10000",
            description = "test images evaluated, from the start of the test split (default: ${DEFAULT-VALUE})")
    int testImages;

    @Option(names = "--cluster-features", defaultValue = "hog",
            description = "features k-means clusters into pseudo-classes: pixels (raw), pca (top "
                    + ClusterFeatures.PCA_COMPONENTS + " principal axes, half-whitened) or hog (histograms of "
                    + "oriented gradients) (default: ${DEFAULT-VALUE})")
    String clusterFeatures;

    @Option(names = "--rounds", defaultValue = "1", description = "cluster-discrimination rounds; each after the "
            + "first re-clusters the network's own embeddings, as DeepCluster (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--epochs", defaultValue = "8", description = "cluster-discrimination epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--finetune-epochs", defaultValue = "6",
            description = "supervised fine-tuning epochs with the true labels, 0 to skip (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--batch", defaultValue = "128", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "7", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--lr", defaultValue = "1e-3",
            description = "peak learning rate of cluster discrimination (default: ${DEFAULT-VALUE})")
    float lr;

    @Option(names = "--finetune-lr", defaultValue = "1e-3",
            description = "peak learning rate of fine-tuning (default: ${DEFAULT-VALUE})")
    float finetuneLr;

    @Option(names = "--scale", defaultValue = "32", description = "margin softmax scale s (default: ${DEFAULT-VALUE})")
    float scale;

    @Option(names = "--arc-margin", defaultValue = "0.3",
            description = "ArcFace angular margin, 0 for none (default: ${DEFAULT-VALUE})")
    float arcMargin;

    @Option(names = "--cos-margin", defaultValue = "0",
            description = "CosFace additive margin, used instead of ArcFace when > 0 (default: ${DEFAULT-VALUE})")
    float cosMargin;

    @Option(names = "--sampled-dims", defaultValue = "96",
            description = "feature dimensions sampled per cluster-discrimination step (default: ${DEFAULT-VALUE})")
    int sampledDims;

    @Option(names = "--shift", defaultValue = "1",
            description = "augmentation: random shift of up to this many pixels (default: ${DEFAULT-VALUE})")
    int shift;

    @Option(names = "--flip", description = "augmentation: random horizontal flip (off by default: on Fashion-MNIST "
            + "it lowers Recall@1)")
    boolean flip;

    @Option(names = "--scale-jitter", defaultValue = "0", description = "augmentation: random zoom by up to this "
            + "fraction, with sub-pixel shifts and bilinear resampling; 0 for none (default: ${DEFAULT-VALUE})")
    double scaleJitter;

    @Option(names = "--random-prototypes", description = "start the prototypes at random (as the reference) instead "
            + "of at each class's mean embedding direction")
    boolean randomPrototypes;

    @Option(names = "--no-baselines", hidden = true, description = "skip the two baselines (for quick experiments)")
    boolean noBaselines;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings = new DemoSettings(data, download, out, backend,
                DemoSettings.vit(patch, width, depth), clusters, trainImages, testImages,
                ClusterFeatures.parse(clusterFeatures), rounds, epochs, finetuneEpochs, batch, seed, !noBaselines,
                new DemoRecipe(lr, finetuneLr, scale, arcMargin, cosMargin, sampledDims, shift, flip,
                        scaleJitter, !randomPrototypes));
        new FashionMnistDemo(settings).run();
        return 0;
    }
}
