package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.features.FeatureMap;
import org.unicom4j.retrieval.features.HandMadeFeatures;
import org.unicom4j.retrieval.features.HogFeatures;
import org.unicom4j.training.config.FeaturesStageSpec;
import org.unicom4j.training.config.InvalidConfigException;

/** Runs a {@code features} stage: fits the feature map on the training images, applies it to both sets. */
final class FeaturesStage {
    static final String TRAIN_FILE = "train.npy";
    static final String EVAL_FILE = "eval.npy";

    private FeaturesStage() {
    }

    static StageResult run(FeaturesStageSpec spec, StageContext ctx) throws IOException {
        long start = System.nanoTime();
        check(spec, ctx.train.size(), ctx.train.channels());
        Vectors pixels = ImagePixels.of(ctx.train);
        FeatureMap map = HandMadeFeatures.parse(spec.kind()).fit(ctx.backend, pixels, spec.components(),
                spec.sample(), spec.whitening(), spec.seed());
        ctx.trainFeatures = map.apply(pixels);
        ctx.evalFeatures = ctx.eval == null ? null : map.apply(ImagePixels.of(ctx.eval));
        Path folder = ctx.folder(spec);
        Files.createDirectories(folder);
        write(ctx.trainFeatures, folder.resolve(TRAIN_FILE));
        if (ctx.evalFeatures != null) {
            write(ctx.evalFeatures, folder.resolve(EVAL_FILE));
        }
        ctx.progress.message(String.format(Locale.ROOT, "   %d training images%s -> %d-d features: %s",
                ctx.train.count(), ctx.eval == null ? "" : " and " + ctx.eval.count() + " eval images",
                ctx.trainFeatures.dim(), map.description()));
        ObjectNode details = StageResult.newDetails().put("description", map.description())
                .put("dim", ctx.trainFeatures.dim());
        return new StageResult(spec.name(), spec.type(), (System.nanoTime() - start) / 1e9, details, folder);
    }

    /** What the config cannot know: whether the images suit the features (one line naming the stage). */
    private static void check(FeaturesStageSpec spec, int size, int channels) {
        String where = "stage '" + spec.name() + "': ";
        if (spec.kind().equals("hog") && (size % HogFeatures.CELL != 0 || size < 2 * HogFeatures.CELL)) {
            throw new InvalidConfigException(where + "HOG needs images whose side is a multiple of "
                    + HogFeatures.CELL + " and at least " + 2 * HogFeatures.CELL + ", the model's are " + size);
        }
        int dim = spec.kind().equals("hog") ? HogFeatures.dim(size) : channels * size * size;
        if (!spec.kind().equals("pixels") && spec.components() > dim) {
            throw new InvalidConfigException(where + "components " + spec.components() + " exceed the " + dim
                    + " dimensions of the " + spec.kind() + " features");
        }
    }

    /** Reads back the features a completed stage wrote. */
    static void restore(StageResult done, StageContext ctx) throws IOException {
        ctx.trainFeatures = read(done.folder().resolve(TRAIN_FILE));
        ctx.evalFeatures = ctx.eval == null ? null : read(done.folder().resolve(EVAL_FILE));
    }

    private static void write(Vectors v, Path file) throws IOException {
        NpyArray.ofFloats(v.data(), v.rows(), v.dim()).write(file);
    }

    private static Vectors read(Path file) throws IOException {
        NpyArray a = NpyArray.read(file);
        return new Vectors(a.toFloats(), (int) a.shape()[0], (int) a.shape()[1]);
    }
}
