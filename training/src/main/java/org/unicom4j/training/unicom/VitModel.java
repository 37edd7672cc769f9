package org.unicom4j.training.unicom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.training.config.LossSpec;
import org.unicom4j.training.config.OptimizerSpec;
import org.unicom4j.training.config.TrainStageSpec;
import org.unicom4j.training.loss.LossFactory;
import org.unicom4j.training.loss.PrototypeLoss;
import org.unicom4j.training.method.MethodModel;
import org.unicom4j.training.trainer.Learner;
import org.unicom4j.training.trainer.TrainingImages;

/** The ViT a {@code unicom} run trains, embeds with and saves. */
final class VitModel implements MethodModel {
    /** Images per inference batch. */
    private static final int BATCH = 256;

    private final VisionTransformer vit;

    VitModel(VisionTransformer vit) {
        this.vit = vit;
    }

    @Override
    public Vectors embed(TrainingImages images, int count) {
        VitConfig c = vit.config();
        int n = Math.min(count, images.count()), emb = c.embedding();
        int imageFloats = c.channels() * c.imageSize() * c.imageSize();
        float[] embeddings = new float[Math.multiplyExact(n, emb)];
        try (VitEmbedder embedder = new VitEmbedder(vit, Math.max(1, Math.min(BATCH, n)))) {
            float[] chunk = new float[Math.min(BATCH, n) * imageFloats];
            for (int start = 0; start < n; start += BATCH) {
                int size = Math.min(BATCH, n - start), first = start;
                // decoding files is the slow part for file datasets: in parallel, each image into its own slot
                IntStream.range(0, size).parallel().forEach(i -> images.copyImage(first + i, chunk, i * imageFloats,
                        null));
                float[] out = embedder.embed(size * imageFloats == chunk.length ? chunk
                        : Arrays.copyOf(chunk, size * imageFloats), size);
                System.arraycopy(out, 0, embeddings, start * emb, size * emb);
            }
        }
        return new Vectors(embeddings, n, emb);
    }

    @Override
    public Learner learner(TrainStageSpec stage, TrainingImages images, int classes, int batchSize) {
        VitConfig c = vit.config();
        if (images.channels() != c.channels() || images.size() != c.imageSize()) {
            throw new InvalidInputException("images are " + images.channels() + "x" + images.size() + "x"
                    + images.size() + ", the model expects " + c.channels() + "x" + c.imageSize() + "x"
                    + c.imageSize());
        }
        if (!(stage.loss() instanceof LossSpec loss)) {
            throw new IllegalArgumentException("a unicom learner needs a unicom loss, got " + stage.loss());
        }
        OptimizerSpec optimizer = stage.optimizer();
        PrototypeLoss prototypeLoss = LossFactory.create(loss, vit.backend(), classes, c.embedding(), batchSize,
                LossFactory.classCounts(images::label, images.count(), classes));
        UnicomLearner learner = new UnicomLearner(vit, prototypeLoss, (float) optimizer.prototypeLrScale(),
                (float) optimizer.weightDecay(), batchSize, stage.seed());
        return startPrototypes(learner, loss, images, stage.seed());
    }

    @Override
    public void save(Path file) throws IOException {
        SafetensorsWriter.write(file, StateDictIo.toStateDict(vit));
    }

    @Override
    public void load(Path file) throws IOException {
        StateDictIo.load(vit, file);
    }

    @Override
    public String describe() {
        VitConfig c = vit.config();
        return "ViT " + c.imageSize() + "px/" + c.patch() + ", width " + c.width() + ", depth " + c.depth()
                + ", " + c.heads() + " heads, embedding " + c.embedding();
    }

    @Override
    public void close() {
        vit.close();
    }
}
