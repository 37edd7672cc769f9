package org.unicom4j.cli.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.training.config.RunConfig;
import org.unicom4j.training.run.ProgressLine;
import org.unicom4j.training.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unicom4j demo}: the training engine on {@code examples/fashion-mnist-demo.json} (HOG features ->
 * k-means pseudo-classes -> cluster discrimination -> fine-tuning, with evaluations between), then a report. The
 * options edit the preset before it runs; each defaults to the preset's value.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, defaultValueProvider = DemoPreset.class,
        description = "The Unicom pipeline on Fashion-MNIST, run by the training engine from the preset "
                + "examples/fashion-mnist-demo.json: k-means pseudo-classes on label-free HOG descriptors, "
                + "cluster-discrimination training of a small ViT, fine-tuning with the true labels, leave-one-out "
                + "retrieval against raw pixels and the untrained network, a report, and the two trained models "
                + "(OUT/unicom/model.safetensors, OUT/finetune/model.safetensors) for embed, index and search "
                + "--weights. Defaults are the preset's. Results: docs/RESULTS.md.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--method", defaultValue = "unicom", description = "unicom (the pipeline above); unifex: "
            + "Fashion-MNIST assembled as a multi-domain set from its class groups (tops, footwear, the rest as "
            + "separate sources with label offsets), the Unicom demo's saved ViT as a frozen backbone, its features "
            + "of the assembled set cached once, a 64-d head trained on them with each loss of the margin-loss "
            + "family, beside the frozen features and PCA to 64-d; writes OUT/unifex; or sscq: SSCQ compact codes "
            + "from examples/fashion-mnist-sscq.json at 16, 32 and 64 bits against PQ of the pixels by the hashing "
            + "protocol (--data, --download, --out (runs/demo-sscq), --backend, --seed, --train-images, "
            + "--test-images (2000), --epochs (3; 1 with --backbone), --batch, --bits, --backbone, --resume apply) "
            + "(default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--backbone", description = "unifex: the frozen backbone (default: OUT/unicom/model.safetensors, "
            + "what the unicom demo saves); sscq: the encoder's start (default: from scratch; the Unicom demo's "
            + "runs/demo/unicom/model.safetensors gives the better codes)")
    Path backbone;

    @Option(names = "--head-epochs", defaultValue = "10", description = "unifex: epochs of each head "
            + "(default: ${DEFAULT-VALUE})")
    int headEpochs;

    @Option(names = "--head-batch", defaultValue = "256", description = "unifex: batch size of the heads "
            + "(default: ${DEFAULT-VALUE})")
    int headBatch;

    @Option(names = "--data", description = "folder with the four Fashion-MNIST .gz IDX files "
            + "(default: /usr/share/datasets/fashion-mnist, then ~/.cache/unicom4j/fashion-mnist)")
    Path data;

    @Option(names = "--download", description = "fetch Fashion-MNIST from its official location if it is missing")
    boolean download;

    @Option(names = "--resume", description = "continue the run in --out where it stopped (completed stages are "
            + "read back, an interrupted training continues from its last checkpoint, bit for bit)")
    boolean resume;

    @Option(names = "--out", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--backend",
            description = "cpu, opencl, reference (the scalar test oracle: slow) or auto (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--patch", description = "ViT patch size, a divisor of 28 (default: ${DEFAULT-VALUE})")
    int patch;

    @Option(names = "--width", description = "ViT width, 4 heads, MLP 4x width (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--depth", description = "ViT blocks (default: ${DEFAULT-VALUE})")
    int depth;

    @Option(names = "--clusters", description = "k-means pseudo-classes (default: ${DEFAULT-VALUE})")
    int clusters;

    @Option(names = "--train-images",
            description = "training images used, from the start of the train split (default: ${DEFAULT-VALUE})")
    int trainImages;

    @Option(names = "--test-images",
            description = "test images evaluated, from the start of the test split (default: ${DEFAULT-VALUE})")
    int testImages;

    @Option(names = "--cluster-features", description = "features k-means clusters into pseudo-classes: pixels "
            + "(raw), pca (top principal axes, half-whitened) or hog (histograms of oriented gradients on their top "
            + "principal axes) (default: ${DEFAULT-VALUE})")
    String clusterFeatures;

    @Option(names = "--rounds", defaultValue = "1", description = "cluster-discrimination rounds; each after the "
            + "first re-clusters the network's own embeddings, as DeepCluster (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--epochs", description = "cluster-discrimination epochs, 0 to skip (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--finetune-epochs",
            description = "supervised fine-tuning epochs with the true labels, 0 to skip (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--batch", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--lr", description = "peak learning rate of cluster discrimination (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--finetune-lr", description = "peak learning rate of fine-tuning (default: ${DEFAULT-VALUE})")
    double finetuneLr;

    @Option(names = "--scale", description = "margin softmax scale s (default: ${DEFAULT-VALUE})")
    double scale;

    @Option(names = "--arc-margin", description = "ArcFace angular margin, 0 for none (default: ${DEFAULT-VALUE})")
    double arcMargin;

    @Option(names = "--cos-margin",
            description = "CosFace additive margin, used instead of ArcFace when > 0 (default: ${DEFAULT-VALUE})")
    double cosMargin;

    @Option(names = "--sampled-dims",
            description = "feature dimensions sampled per cluster-discrimination step (default: ${DEFAULT-VALUE})")
    int sampledDims;

    @Option(names = "--shift", description = "augmentation: random shift of up to this many pixels "
            + "(default: ${DEFAULT-VALUE})")
    int shift;

    @Option(names = "--flip", negatable = true, description = "augmentation: random horizontal flip (preset: "
            + "${DEFAULT-VALUE}; on Fashion-MNIST it lowers Recall@1)")
    boolean flip;

    @Option(names = "--scale-jitter", description = "augmentation: random zoom by up to this fraction, with sub-pixel "
            + "shifts and bilinear resampling; 0 for none (default: ${DEFAULT-VALUE})")
    double scaleJitter;

    @Option(names = "--random-prototypes", negatable = true, description = "start the prototypes at random (as the "
            + "reference) instead of at each class's mean embedding direction (preset: ${DEFAULT-VALUE})")
    boolean randomPrototypes;

    @Option(names = "--no-baselines", hidden = true, description = "skip the baseline evaluations (for quick "
            + "experiments)")
    boolean noBaselines;

    @Option(names = "--bits", split = ",", description = "sscq: code lengths, multiples of 4 (default: 16,32,64)")
    List<Integer> bits;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String m = method.toLowerCase(Locale.ROOT);
        if (!List.of("unicom", "unifex", "sscq").contains(m)) {
            throw new InvalidInputException("--method '" + method + "': expected unicom, unifex or sscq");
        }
        if (m.equals("sscq")) {
            return SscqDemo.run(this, spec.commandLine().getParseResult());
        }
        if (bits != null) {
            throw new InvalidInputException("--bits belongs to --method sscq");
        }
        Path files = FashionMnistFiles.locate(data, download);
        if (m.equals("unifex")) {
            UnifexDemo.run(files, backbone != null ? backbone : out.resolve("unicom/model.safetensors"),
                    out.resolve("unifex"), backend, seed, headEpochs, headBatch);
            return 0;
        }
        DemoPreset preset = new DemoPreset();
        preset.dataIn(files);
        new DemoOptions(this).applyTo(preset);
        RunConfig config = RunConfig.parse(preset.tree(), Path.of("").toAbsolutePath(), "demo preset");
        long start = System.nanoTime();
        TrainingRun.Result result = new TrainingRun(config, System.err, ProgressLine.stderrIsTerminal())
                .run(resume && Files.isDirectory(Path.of(config.output())) ? Path.of(config.output()) : null);
        DemoReport.write(config, result, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
