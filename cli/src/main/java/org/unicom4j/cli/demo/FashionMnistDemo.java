package org.unicom4j.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.unicom4j.cli.report.LossCurvePlot;
import org.unicom4j.cli.report.MetricsTable;
import org.unicom4j.cli.report.NeighbourGrid;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.idx.IdxArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.model.vit.VitInitializer;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.training.trainer.ClusterDiscriminationTrainer;
import org.unicom4j.training.trainer.InMemoryImages;
import org.unicom4j.training.trainer.TrainConfig;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * The demo pipeline: (1) raw-pixel baseline, (2) label-free cluster features of the training images (HOG by
 * default; also evaluated, for reference), (3) an untrained ViT as the second baseline, (4) pseudo-classes by
 * k-means on those features and cluster-discrimination training with class sampling and feature sampling,
 * prototypes starting at the clusters' mean embeddings, (5) supervised fine-tuning with the true labels, each
 * evaluated leave-one-out on the test images with their true labels; then a table, report.json, PNG pictures
 * and report.html, with wall time and images/s per training phase.
 */
final class FashionMnistDemo {
    /** Images embedded to place the starting prototypes: enough for ~20 per cluster at 1000 clusters. */
    static final int MEANS_SAMPLE = 20_000;
    static final String FINE_TUNING = "supervised fine-tuning";
    private final DemoSettings settings;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    /** Per training phase: epochs, images seen, seconds in the training loop, images per second. */
    private final Map<String, Map<String, Object>> throughput = new LinkedHashMap<>();
    private final List<Float> unsupervisedLoss = new ArrayList<>();
    private final List<Float> supervisedLoss = new ArrayList<>();

    FashionMnistDemo(DemoSettings settings) {
        this.settings = settings;
    }

    void run() throws IOException {
        Path dataDir = FashionMnistFiles.locate(settings.data(), settings.download());
        Files.createDirectories(settings.out());
        long start = System.nanoTime();
        InMemoryImages train = load(dataDir, "train", settings.trainImages(), settings.recipe().maxShift(),
                settings.recipe().flip());
        InMemoryImages test = load(dataDir, "t10k", settings.testImages(), 0, false);
        System.out.printf(Locale.ROOT, "Fashion-MNIST from %s: %d train, %d test images%n", dataDir, train.count(),
                test.count());
        MetricsTable table = new MetricsTable(List.of("R@1", "R@2", "R@4", "R@8", "mAP@R"));
        try (Backend backend = Backends.open(settings.backend())) {
            System.out.println("backend: " + backend.description());
            Neighbours[] pixelNeighbours = new Neighbours[1];
            if (settings.baselines()) {
                timed("baseline: raw pixels", () -> table.add("raw pixels (784-d)",
                        LeaveOneOutEvaluation.evaluate(backend, new Vectors(test.pixels(), test.count(), 784),
                                test.labels(), pixelNeighbours)));
            }
            ClusterFeatures kind = settings.clusterFeatures();
            UnaryOperator<Vectors> clusterFeatureMap = settings.epochs() == 0 ? null
                    : timedValue("fit cluster features: " + kind.name().toLowerCase(Locale.ROOT), () ->
                            kind.fit(backend, new Vectors(train.pixels(), train.count(), 784), settings.seed()));
            if (settings.baselines() && clusterFeatureMap != null && kind != ClusterFeatures.PIXELS) {
                // The features the pseudo-classes come from, for reference: what the network learns from.
                timed("reference: cluster features", () -> table.add("cluster features: " + kind.name()
                        .toLowerCase(Locale.ROOT), LeaveOneOutEvaluation.evaluate(backend, clusterFeatureMap.apply(
                                new Vectors(test.pixels(), test.count(), 784)), test.labels(), null)));
            }
            try (VisionTransformer model = new VisionTransformer(backend, settings.model())) {
                VitInitializer.initializeFromScratch(model, settings.seed());
                if (settings.baselines()) {
                    timed("baseline: untrained ViT", () -> table.add("untrained ViT", evaluate(model, test, null)));
                }
                if (settings.epochs() > 0) {
                    clusterDiscrimination(backend, model, train, clusterFeatureMap);
                    Neighbours[] unicomNeighbours = new Neighbours[1];
                    timed("evaluate Unicom ViT", () -> table.add("Unicom ViT (pseudo-classes)",
                            evaluate(model, test, unicomNeighbours)));
                    drawNeighbours(test, unicomNeighbours[0], "neighbours_unicom.png");
                }
                if (settings.finetuneEpochs() > 0) {
                    Vectors tuneStart = !settings.recipe().meanPrototypes() ? null
                            : timedValue("embed training images (fine-tuning prototypes)",
                                    () -> embed(model, train, MEANS_SAMPLE));
                    timed(FINE_TUNING, () -> train(FINE_TUNING, model, train, 10, settings.finetuneEpochs(), 1.0,
                            true, tuneStart, supervisedLoss));
                    Neighbours[] tuned = new Neighbours[1];
                    timed("evaluate fine-tuned ViT", () -> table.add(settings.epochs() > 0
                            ? "fine-tuned ViT (true labels)" : "supervised ViT from scratch", evaluate(model, test, tuned)));
                    drawNeighbours(test, tuned[0], "neighbours_finetuned.png");
                }
            }
            if (settings.baselines()) {
                drawNeighbours(test, pixelNeighbours[0], "neighbours_pixels.png");
            }
        }
        double total = (System.nanoTime() - start) / 1e9;
        System.out.println();
        System.out.println(pseudoClassText(settings));
        System.out.print(table.toText());
        throughput.forEach((phase, r) -> System.out.printf(Locale.ROOT, "%s: %d epochs, %d images in %.0f s "
                + "(%.0f images/s)%n", phase, (Integer) r.get("epochs"), (Long) r.get("images"),
                (Double) r.get("seconds"), (Double) r.get("images_per_second")));
        writeReport(table, total);
    }

    /**
     * Round 1 clusters the chosen features of the training images; each later round re-clusters the network's
     * own embeddings of them (as DeepCluster) and trains on those pseudo-classes with fresh prototypes.
     */
    private void clusterDiscrimination(Backend backend, VisionTransformer model, InMemoryImages train,
                                       UnaryOperator<Vectors> clusterFeatureMap) throws IOException {
        Vectors pixels = new Vectors(train.pixels(), train.count(), 784);
        for (int r = 1; r <= settings.rounds(); r++) {
            int round = r;
            String suffix = settings.rounds() > 1 ? " (round " + round + ")" : "";
            Vectors features = round == 1
                    ? timedValue("cluster features: " + settings.clusterFeatures().name().toLowerCase(Locale.ROOT),
                            () -> clusterFeatureMap.apply(pixels))
                    : timedValue("embed training images" + suffix, () -> embed(model, train));
            int[] pseudo = timedValue("k-means pseudo-classes" + suffix, () ->
                    PseudoClasses.compute(backend, features, settings.clusters(), settings.seed() + round));
            Vectors start = !settings.recipe().meanPrototypes() ? null : round == 1
                    ? timedValue("embed training images (starting prototypes)", () -> embed(model, train, MEANS_SAMPLE))
                    : features;
            String phase = "cluster discrimination" + suffix;
            timed(phase, () -> train(phase, model, train.withLabels(pseudo), settings.clusters(), settings.epochs(),
                    0.1, false, start, unsupervisedLoss));
        }
    }

    private void train(String phase, VisionTransformer model, InMemoryImages images, int classes, int epochs,
                       double classRate, boolean supervised, Vectors prototypeStart, List<Float> losses) {
        DemoRecipe r = settings.recipe();
        String name = supervised ? "supervised" : "unsupervised";
        TrainConfig config = new TrainConfig(epochs, settings.batch(), supervised ? r.finetuneLr() : r.lr(),
                10f, 0.05f, supervised ? "onecycle" : "cosine", 0.1, classRate,
                supervised ? settings.model().embedding() : r.sampledDims(), r.scale(), r.arcMargin(), r.cosMargin(),
                settings.seed() + name.hashCode());
        TrainingImages augmented = r.scaleJitter() > 0
                ? new AffineJitterImages(images, r.scaleJitter(), r.maxShift(), r.flip()) : images;
        try (ClusterDiscriminationTrainer trainer = new ClusterDiscriminationTrainer(model, augmented, classes,
                config)) {
            if (prototypeStart != null) {
                model.backend().buffers().upload(
                        ClassMeans.unitMeans(prototypeStart, images.labels(), classes, config.seed()),
                        trainer.loss().prototypes());
            }
            ProgressLine progress = new ProgressLine(name, trainer.totalSteps());
            long t0 = System.nanoTime();
            for (int epoch = 0; epoch < epochs; epoch++) {
                double mean = trainer.trainEpoch(epoch, m -> {
                    losses.add(m.loss());
                    progress.update(m);
                });
                progress.finishEpoch(epoch, mean);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long imagesSeen = trainer.totalSteps() * settings.batch();
            Map<String, Object> rate = new LinkedHashMap<>();
            rate.put("epochs", epochs);
            rate.put("images", imagesSeen);
            rate.put("seconds", seconds);
            rate.put("images_per_second", imagesSeen / seconds);
            throughput.put(phase, rate);
            System.out.printf(Locale.ROOT, "   %s: %d images in %.1f s, %.0f images/s%n", phase, imagesSeen, seconds,
                    imagesSeen / seconds);
        }
    }

    private static Map<String, Double> evaluate(VisionTransformer model, InMemoryImages images, Neighbours[] out) {
        return LeaveOneOutEvaluation.evaluate(model.backend(), embed(model, images), images.labels(), out);
    }

    /** The images' embeddings (no augmentation), not normalised. */
    private static Vectors embed(VisionTransformer model, InMemoryImages images) {
        return embed(model, images, images.count());
    }

    /** The embeddings of the first {@code limit} images (at most all). */
    private static Vectors embed(VisionTransformer model, InMemoryImages images, int limit) {
        int n = Math.min(limit, images.count());
        int plane = images.channels() * images.size() * images.size();
        float[] pixels = n == images.count() ? images.pixels() : java.util.Arrays.copyOf(images.pixels(), n * plane);
        try (VitEmbedder embedder = new VitEmbedder(model, 256)) {
            return new Vectors(embedder.embed(pixels, n), n, model.config().embedding());
        }
    }

    private static InMemoryImages load(Path dir, String split, int count, int maxShift, boolean flip)
            throws IOException {
        IdxArray images = IdxArray.read(dir.resolve(split + "-images-idx3-ubyte.gz"));
        int[] labels = IdxArray.read(dir.resolve(split + "-labels-idx1-ubyte.gz")).toInts();
        float[] raw = images.toFloats();
        int size = images.dims()[1];
        int n = Math.min(count, labels.length);
        float[] pixels = new float[n * size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = raw[i] / 255f; // background stays 0, which is also the shift augmentation's fill
        }
        return new InMemoryImages(pixels, java.util.Arrays.copyOf(labels, n), 1, size, maxShift, flip);
    }

    private void drawNeighbours(InMemoryImages test, Neighbours neighbours, String file) throws IOException {
        int rows = 10, shown = 8;
        int[] queries = new int[rows];
        int[][] lists = new int[rows][shown];
        for (int r = 0; r < rows; r++) {
            queries[r] = (int) ((long) r * 997 % test.count()); // spread over the test set, fixed for comparability
            for (int c = 0; c < shown; c++) {
                lists[r][c] = neighbours.index(queries[r], c);
            }
        }
        int plane = test.size() * test.size();
        OutputFiles.writePng(settings.out().resolve(file), NeighbourGrid.draw(queries, lists, test.labels(),
                i -> java.util.Arrays.copyOfRange(test.pixels(), i * plane, (i + 1) * plane), 1, test.size(), 3));
    }

    /** One sentence on where the pseudo-classes came from, for the report. */
    static String pseudoClassText(DemoSettings settings) {
        if (settings.epochs() == 0) {
            return "No cluster discrimination (supervised training from scratch only).";
        }
        String text = "Pseudo-classes (no labels): k-means with " + settings.clusters() + " clusters of the "
                + settings.trainImages() + " training images on their " + settings.clusterFeatures().description();
        return text + (settings.rounds() > 1 ? ", then re-clustered on the network's own embeddings after each of "
                + (settings.rounds() - 1) + " round(s)." : ".");
    }

    private void writeReport(MetricsTable table, double totalSeconds) throws IOException {
        OutputFiles.writePng(settings.out().resolve("loss.png"), LossCurvePlot.draw("training loss per step", "step",
                List.of(new LossCurvePlot.Series("cluster discrimination", toArray(unsupervisedLoss)),
                        new LossCurvePlot.Series("supervised fine-tuning", toArray(supervisedLoss))), 720, 360));
        report.put("dataset", "Fashion-MNIST (train " + settings.trainImages() + ", test " + settings.testImages() + ")");
        report.put("pseudo_classes", pseudoClassText(settings));
        report.put("baselines", List.of("raw pixels: the 784 pixel values, L2-normalised",
                "untrained ViT: the same network at its random initialisation"));
        report.put("model", settings.model());
        report.put("settings", settings);
        report.put("metrics", table.rows());
        report.put("seconds", seconds);
        report.put("training", throughput);
        report.put("total_seconds", totalSeconds);
        OutputFiles.writeJson(settings.out().resolve("report.json"), report);
        OutputFiles.writeText(settings.out().resolve("report.html"), DemoHtml.render(table, seconds, throughput, settings));
        System.out.printf(Locale.ROOT, "%nwrote %s/{report.json, report.html, loss.png, neighbours_*.png} in %.0f s%n",
                settings.out(), totalSeconds);
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private interface Step {
        void run() throws IOException;
    }

    private interface ValueStep<T> {
        T run() throws IOException;
    }

    private void timed(String name, Step step) throws IOException {
        timedValue(name, () -> {
            step.run();
            return null;
        });
    }

    private <T> T timedValue(String name, ValueStep<T> step) throws IOException {
        System.out.println("== " + name);
        long t0 = System.nanoTime();
        T value = step.run();
        double s = (System.nanoTime() - t0) / 1e9;
        seconds.put(name, s);
        System.out.printf(Locale.ROOT, "   %s: %.1f s%n", name, s);
        return value;
    }
}
