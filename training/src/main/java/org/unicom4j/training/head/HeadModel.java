package org.unicom4j.training.head;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictReader;
import org.unicom4j.model.head.HeadComposition;
import org.unicom4j.model.head.HeadConfig;
import org.unicom4j.model.head.ProjectionHead;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.training.config.HeadSpec;
import org.unicom4j.training.config.LossSpec;
import org.unicom4j.training.config.OptimizerSpec;
import org.unicom4j.training.config.TrainStageSpec;
import org.unicom4j.training.loss.LossFactory;
import org.unicom4j.training.loss.PrototypeLoss;
import org.unicom4j.training.method.MethodModel;
import org.unicom4j.training.trainer.Learner;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * The head a {@code head} run trains: made when the features' size is first seen (the input of the head is the
 * features'), embedding in evaluation mode (dropout off, BatchNorm's running statistics), saved as
 * {@value #HEAD_FILE} beside the model file and, with a backbone, composed with it into the model file itself.
 */
final class HeadModel implements MethodModel {
    /** The head alone, beside every model file a run writes (what a resumed run reads back). */
    static final String HEAD_FILE = "head.safetensors";
    static final String HEAD_METADATA_KEY = "head_config";
    /** Rows per evaluation batch, and the largest training batch. */
    private static final int MAX_BATCH = 8192;

    private final Backend backend;
    private final HeadSpec spec;
    private final VisionTransformer backbone;
    private final long seed;
    private ProjectionHead head;

    HeadModel(Backend backend, HeadSpec spec, VisionTransformer backbone, long seed) {
        this.backend = backend;
        this.spec = spec;
        this.backbone = backbone;
        this.seed = seed;
        if (backbone != null && tokens() && spec.out() > backbone.config().width()) {
            throw new InvalidInputException("model.out " + spec.out() + " exceeds the width " + backbone.config().width()
                    + " of model.backbone " + spec.backbone() + ": a head on its tokens replaces the backbone's own "
                    + "head, whose inner size that is");
        }
        if (backbone != null) {
            head(tokens() ? backbone.config().flatDim() : backbone.config().embedding(), "model.backbone "
                    + spec.backbone());
        }
    }

    /** The head for {@code in}-d inputs, made (seeded) at the first call; a later size must match. */
    private ProjectionHead head(int in, String what) {
        if (head == null) {
            head = new ProjectionHead(backend, new HeadConfig(in, spec.out(), (float) spec.dropout(), spec.batchNorm()),
                    MAX_BATCH);
            head.initialize(seed);
        } else if (head.config().in() != in) {
            throw new InvalidInputException(what + " has " + in + "-d rows, the head takes " + head.config().in()
                    + "-d features" + (backbone == null ? "" : " (model.backbone's " + spec.input() + ")"));
        }
        return head;
    }

    @Override
    public Vectors embed(TrainingImages images, int count) {
        int n = Math.min(count, images.count()), in = images.channels(), out = spec.out();
        ProjectionHead h = head(in, "the features");
        float[] rows = new float[Math.min(n, MAX_BATCH) * in], result = new float[Math.multiplyExact(n, out)];
        try (DeviceFloats x = backend.buffers().allocFloats(rows.length);
             DeviceFloats y = backend.buffers().allocFloats((long) Math.min(n, MAX_BATCH) * out)) {
            for (int start = 0; start < n; start += MAX_BATCH) {
                int size = Math.min(MAX_BATCH, n - start);
                for (int i = 0; i < size; i++) {
                    images.copyImage(start + i, rows, i * in, null);
                }
                backend.buffers().upload(rows, 0, x.slice(0, (long) size * in));
                h.forwardEval(x, size, y);
                backend.buffers().download(y.slice(0, (long) size * out), result, start * out);
            }
        }
        return new Vectors(result, n, out);
    }

    @Override
    public Learner learner(TrainStageSpec stage, TrainingImages images, int classes, int batchSize) {
        if (batchSize > MAX_BATCH) {
            throw new InvalidInputException("batchSize " + batchSize + " exceeds the head's largest batch " + MAX_BATCH);
        }
        if (!(stage.loss() instanceof LossSpec loss)) {
            throw new IllegalArgumentException("a head learner needs a margin loss, got " + stage.loss());
        }
        ProjectionHead h = head(images.channels(), "data.train");
        OptimizerSpec optimizer = stage.optimizer();
        PrototypeLoss prototypeLoss = LossFactory.create(loss, backend, classes, spec.out(), batchSize,
                LossFactory.classCounts(images::label, images.count(), classes));
        HeadLearner learner = new HeadLearner(h, prototypeLoss, (float) optimizer.prototypeLrScale(),
                (float) optimizer.weightDecay(), batchSize, stage.seed());
        return startPrototypes(learner, loss, images, stage.seed());
    }

    /** The model file: the head composed with the backbone when there is one, else the head; and the head beside it. */
    @Override
    public void save(Path file) throws IOException {
        requireHead();
        StateDict alone = StateDict.of("head", head.tensors("head."))
                .withMetadata(Map.of(HEAD_METADATA_KEY, HeadLearner.configJson(head.config())));
        SafetensorsWriter.write(file.resolveSibling(HEAD_FILE), alone);
        if (backbone != null) {
            try (VisionTransformer composed = tokens() ? HeadComposition.composeOnTokens(backbone, head)
                    : HeadComposition.compose(backbone, head)) {
                SafetensorsWriter.write(file, StateDictIo.toStateDict(composed));
            }
        } else if (!file.getFileName().toString().equals(HEAD_FILE)) {
            SafetensorsWriter.write(file, alone);
        }
    }

    @Override
    public void load(Path file) throws IOException {
        try (StateDict dict = StateDictReader.read(file.resolveSibling(HEAD_FILE))) {
            HeadConfig saved = HeadLearner.configFromJson(dict.metadata().get(HEAD_METADATA_KEY));
            head(saved.in(), file.resolveSibling(HEAD_FILE).toString()).load(dict, "head.");
        }
    }

    private boolean tokens() {
        return spec.input().equals("tokens");
    }

    private void requireHead() {
        if (head == null) {
            throw new IllegalStateException("the head has not seen its features yet");
        }
    }

    @Override
    public String describe() {
        String shape = "head Dropout(" + spec.dropout() + ") -> Linear(" + (head == null ? "features" : head.config()
                .in()) + ", " + spec.out() + ")" + (spec.batchNorm() ? " -> BatchNorm1d" : "");
        return backbone == null ? shape : shape + " on the frozen " + spec.backbone();
    }

    @Override
    public void close() {
        if (head != null) {
            head.close();
        }
        if (backbone != null) {
            backbone.close();
        }
    }
}
