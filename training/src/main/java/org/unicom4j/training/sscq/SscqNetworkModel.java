package org.unicom4j.training.sscq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.sscq.SscqConfig;
import org.unicom4j.model.sscq.SscqEmbedder;
import org.unicom4j.model.sscq.SscqModel;
import org.unicom4j.model.sscq.SscqStateDict;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.training.config.OptimizerSpec;
import org.unicom4j.training.config.SscqLossSpec;
import org.unicom4j.training.config.TrainStageSpec;
import org.unicom4j.training.method.MethodModel;
import org.unicom4j.training.trainer.Learner;
import org.unicom4j.training.trainer.TrainingImages;

/** The SSCQ network an {@code sscq} run trains, embeds with (its continuous features, or its codes) and saves. */
public final class SscqNetworkModel implements MethodModel {
    /** Images per inference batch. */
    private static final int BATCH = 256;

    private final SscqModel model;

    SscqNetworkModel(SscqModel model) {
        this.model = model;
    }

    public SscqModel model() {
        return model;
    }

    /** The continuous features f (evaluation mode): what queries are. */
    @Override
    public Vectors embed(TrainingImages images, int count) {
        int n = Math.min(count, images.count()), dim = model.config().featureDim();
        float[] out = new float[Math.multiplyExact(n, dim)];
        infer(images, n, (e, chunk, size, start) -> System.arraycopy(e.embed(chunk, size), 0, out, start * dim,
                size * dim));
        return new Vectors(out, n, dim);
    }

    /** The hard codes [count, books] of the first {@code count} images (evaluation mode): what a code index holds. */
    public int[] codes(TrainingImages images, int count) {
        int n = Math.min(count, images.count()), books = model.config().books();
        int[] out = new int[Math.multiplyExact(n, books)];
        infer(images, n, (e, chunk, size, start) -> System.arraycopy(e.codes(chunk, size), 0, out, start * books,
                size * books));
        return out;
    }

    /** Receives one batch of images [size, C, H, W] starting at image {@code start}. */
    private interface BatchInference {
        void run(SscqEmbedder embedder, float[] chunk, int size, int start);
    }

    /** The first {@code n} images in batches (unaugmented; decoded in parallel, each into its own slot). */
    private void infer(TrainingImages images, int n, BatchInference inference) {
        var c = model.config().encoder();
        int imageFloats = c.channels() * c.imageSize() * c.imageSize();
        try (SscqEmbedder embedder = new SscqEmbedder(model, Math.max(1, Math.min(BATCH, n)))) {
            float[] chunk = new float[Math.min(BATCH, n) * imageFloats];
            for (int start = 0; start < n; start += BATCH) {
                int size = Math.min(BATCH, n - start), first = start;
                IntStream.range(0, size).parallel().forEach(i -> images.copyImage(first + i, chunk, i * imageFloats,
                        null));
                inference.run(embedder, size * imageFloats == chunk.length ? chunk
                        : Arrays.copyOf(chunk, size * imageFloats), size, start);
            }
        }
    }

    @Override
    public Learner learner(TrainStageSpec stage, TrainingImages images, int classes, int batchSize) {
        var c = model.config().encoder();
        if (images.channels() != c.channels() || images.size() != c.imageSize()) {
            throw new InvalidInputException("images are " + images.channels() + "x" + images.size() + "x"
                    + images.size() + ", the model expects " + c.channels() + "x" + c.imageSize() + "x"
                    + c.imageSize());
        }
        if (!(stage.loss() instanceof SscqLossSpec loss)) {
            throw new IllegalArgumentException("an SSCQ learner needs an SSCQ loss, got " + stage.loss());
        }
        OptimizerSpec optimizer = stage.optimizer();
        return new SscqLearner(model, loss, (float) optimizer.prototypeLrScale(), (float) optimizer.weightDecay(),
                batchSize, stage.seed());
    }

    @Override
    public void save(Path file) throws IOException {
        SscqStateDict.save(model, file);
    }

    @Override
    public void load(Path file) throws IOException {
        SscqStateDict.load(model, file);
    }

    @Override
    public String describe() {
        SscqConfig s = model.config();
        var c = s.encoder();
        return "SSCQ: ViT " + c.imageSize() + "px/" + c.patch() + ", width " + c.width() + ", depth " + c.depth()
                + ", embedding " + c.embedding() + " -> " + s.hidden() + " -> " + s.books() + " x " + s.subDim()
                + ", " + s.books() + " codebooks of " + s.words() + " (" + s.bits() + " bits)";
    }

    @Override
    public void close() {
        model.close();
    }
}
