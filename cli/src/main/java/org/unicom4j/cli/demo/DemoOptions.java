package org.unicom4j.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.unicom4j.data.InvalidInputException;

/**
 * The demo's options written into its preset: values into the keys they stand for, then the structural ones
 * (skipped phases and baselines, extra rounds). Every option holds the preset's value unless given, so applying
 * all of them leaves an untouched preset as it was. Checks what the config cannot know (Fashion-MNIST's sizes,
 * the head count) with one-line errors naming the options.
 */
final class DemoOptions {
    private static final int IMAGE_SIZE = 28;
    private static final int HEADS = 4;
    private final DemoCommand o;

    DemoOptions(DemoCommand options) {
        this.o = options;
    }

    void applyTo(DemoPreset preset) {
        check();
        ObjectNode root = preset.root();
        root.put("output", o.out.toString()).put("backend", o.backend).put("batchSize", o.batch).put("seed", o.seed);
        preset.trainData().put("limit", o.trainImages);
        preset.evalData().put("limit", o.testImages);
        preset.model().put("patch", o.patch).put("width", o.width).put("depth", o.depth).put("heads", HEADS)
                .put("mlpHidden", 4 * o.width);
        augmentation(preset.trainData());
        preset.stage(DemoPreset.KMEANS).put("clusters", o.clusters);
        features(preset);
        ObjectNode unicom = preset.stage(DemoPreset.UNICOM), finetune = preset.stage(DemoPreset.FINETUNE);
        unicom.put("epochs", Math.max(1, o.epochs));
        unicom.with("optimizer").put("lr", o.lr);
        unicom.with("loss").put("sampledDims", o.sampledDims);
        finetune.put("epochs", Math.max(1, o.finetuneEpochs));
        finetune.with("optimizer").put("lr", o.finetuneLr);
        for (ObjectNode stage : new ObjectNode[] {unicom, finetune}) {
            ObjectNode loss = stage.with("loss");
            loss.put("scale", o.scale).put("type", o.cosMargin > 0 ? "cosface" : "arcface")
                    .put("margin", o.cosMargin > 0 ? o.cosMargin : o.arcMargin)
                    .put("prototypeInit", o.randomPrototypes ? "random" : "class-means");
        }
        for (int round = 2; round <= o.rounds; round++) {
            String previous = round == 2 ? DemoPreset.UNICOM : DemoPreset.UNICOM + "-" + (round - 1);
            ObjectNode kmeans = preset.stage(DemoPreset.KMEANS).deepCopy().put("name", "kmeans-" + round)
                    .put("of", "model");
            preset.insertAfter(previous, kmeans);
            preset.insertAfter(kmeans.get("name").asText(), unicom.deepCopy().put("name", DemoPreset.UNICOM + "-"
                    + round));
        }
        if (o.epochs == 0) {
            preset.removeStages(DemoPreset.FEATURES, DemoPreset.KMEANS, "eval-features", DemoPreset.UNICOM,
                    "eval-unicom");
            preset.stage("eval-finetune").put("title", "supervised ViT from scratch");
        }
        if (o.finetuneEpochs == 0) {
            preset.removeStages(DemoPreset.FINETUNE, "eval-finetune");
        }
        if (o.noBaselines) {
            preset.removeStages("eval-pixels", "eval-features", "eval-untrained");
        }
    }

    private void augmentation(ObjectNode train) {
        train.remove(java.util.List.of("scaleJitter", "flip"));
        train.put("maxShift", o.shift);
        if (o.scaleJitter > 0) {
            train.put("augment", "affine").put("scaleJitter", o.scaleJitter).put("flip", o.flip);
        } else {
            train.put("augment", o.flip ? "shift-flip" : "shift");
        }
    }

    /** The features stage's kind; raw pixels are not evaluated twice, PCA of pixels is half-whitened. */
    private void features(DemoPreset preset) {
        String kind = o.clusterFeatures.toLowerCase(Locale.ROOT);
        ObjectNode features = preset.stage(DemoPreset.FEATURES);
        if (kind.equals(features.path("kind").asText())) {
            return;
        }
        features.put("kind", kind).remove("whitening");
        if (kind.equals("pixels")) {
            features.remove(java.util.List.of("components", "sample"));
            preset.removeStages("eval-features");
        } else {
            preset.stage("eval-features").put("title", "cluster features: " + kind);
        }
    }

    private void check() {
        if (o.patch < 1 || IMAGE_SIZE % o.patch != 0 || o.width < HEADS || o.width % HEADS != 0 || o.depth < 1) {
            throw new InvalidInputException("--patch must divide 28, --width be a multiple of 4 and --depth >= 1, "
                    + "got " + o.patch + ", " + o.width + ", " + o.depth);
        }
        if (o.batch < 16) {
            throw new InvalidInputException("--batch must be >= 16 (the BatchNorm head needs it), got " + o.batch);
        }
        if (o.trainImages < o.batch || o.trainImages > 60_000) {
            throw new InvalidInputException("--train-images must be in [" + o.batch + ", 60000], got "
                    + o.trainImages);
        }
        if (o.testImages < 10 || o.testImages > 10_000) {
            throw new InvalidInputException("--test-images must be in [10, 10000], got " + o.testImages);
        }
        if (o.epochs < 0 || o.finetuneEpochs < 0 || o.epochs + o.finetuneEpochs == 0) {
            throw new InvalidInputException("--epochs and --finetune-epochs must be >= 0, not both 0, got "
                    + o.epochs + " and " + o.finetuneEpochs);
        }
        if (o.rounds < 1) {
            throw new InvalidInputException("--rounds must be >= 1, got " + o.rounds);
        }
        if (o.arcMargin < 0 || o.cosMargin < 0 || (o.arcMargin > 0 && o.cosMargin > 0)) {
            throw new InvalidInputException("--arc-margin and --cos-margin must be >= 0 and not both > 0, got "
                    + o.arcMargin + " and " + o.cosMargin);
        }
        if (!o.clusterFeatures.matches("(?i)pixels|pca|hog")) {
            throw new InvalidInputException("--cluster-features must be pixels, pca or hog, got " + o.clusterFeatures);
        }
    }
}
