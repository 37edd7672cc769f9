package org.unicom4j.cli.demo;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code unicom4j demo}: the whole Unicom pipeline on Fashion-MNIST, ending in a report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The Unicom pipeline on Fashion-MNIST: k-means pseudo-classes, cluster-discrimination",
                "training of a small ViT, embedding, leave-one-out evaluation against baselines, report."})
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

    @Option(names = "--clusters", defaultValue = "2000", description = "k-means pseudo-classes (default: ${DEFAULT-VALUE})")
    int clusters;

    @Option(names = "--train-images", defaultValue = "20000",
            description = "training images used, from the start of the train split (default: ${DEFAULT-VALUE})")
    int trainImages;

    @Option(names = "--test-images", defaultValue = "10000",
            description = "test images evaluated, from the start of the test split (default: ${DEFAULT-VALUE})")
    int testImages;

    @Option(names = "--epochs", defaultValue = "2", description = "cluster-discrimination epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--finetune-epochs", defaultValue = "1",
            description = "supervised fine-tuning epochs with the true labels, 0 to skip (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--batch", defaultValue = "128", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", defaultValue = "7", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings = new DemoSettings(data, download, out, backend, clusters, trainImages, testImages, epochs,
                finetuneEpochs, batch, seed);
        new FashionMnistDemo(settings).run();
        return 0;
    }
}
