package org.unicom4j.training.unicom;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitActivations;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.training.loss.PrototypeLoss;
import org.unicom4j.training.method.PrototypeLearner;
import org.unicom4j.training.optim.ParameterGroup;
import org.unicom4j.training.random.SplitMix64;
import org.unicom4j.training.trainer.RandomStreams;
import org.unicom4j.training.trainer.StateTensor;

/**
 * Unicom's learner (spec unicom.md section 3): a ViT embeds the batch, a {@link PrototypeLoss} (the sampled
 * margin softmax) scores it against a sampled subset of class prototypes over a sampled subset of feature
 * dimensions, and both are trained: the backbone at the base learning rate, the prototypes at a multiple of it.
 * With true labels instead of pseudo-classes the same learner is supervised fine-tuning. The model belongs to the
 * caller (it outlives a stage); the loss and the step's buffers belong to the learner.
 */
public final class UnicomLearner extends PrototypeLearner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VisionTransformer model;
    private final VitActivations activations;
    private final DeviceFloats batchImages;

    /**
     * A learner over {@code model} and {@code loss} (which it owns and closes) for batches of {@code batchSize}
     * images; the prototypes train at {@code prototypeLrScale} times the base rate, both groups with
     * {@code weightDecay}. {@code seed} is the run's: the prototypes start at N(0, 0.01^2) drawn from it (a
     * checkpoint restore or {@link #loss()}{@code .prototypes()} overwrites them), and stochastic depth is
     * reseeded from it every step.
     */
    public UnicomLearner(VisionTransformer model, PrototypeLoss loss, float prototypeLrScale, float weightDecay,
                         int batchSize, long seed) {
        super(model.backend(), new ParameterGroup("backbone", model.parameters(), model.gradients(), 1f, weightDecay),
                checked(model, loss), prototypeLrScale, weightDecay, batchSize, seed);
        VitConfig vit = model.config();
        this.model = model;
        this.activations = VitActivations.forTraining(model.backend(), vit, batchSize);
        this.batchImages = model.backend().buffers().allocFloats(
                (long) batchSize * vit.channels() * vit.imageSize() * vit.imageSize());
    }

    private static PrototypeLoss checked(VisionTransformer model, PrototypeLoss loss) {
        if (loss.embDim() != model.config().embedding()) {
            loss.close();
            throw new IllegalArgumentException("loss embedding dim " + loss.embDim() + " differs from the model's "
                    + model.config().embedding());
        }
        return loss;
    }

    @Override
    public Backend backend() {
        return model.backend();
    }

    @Override
    public DeviceFloats clippedGradients() {
        return model.gradients();
    }

    @Override
    public float forwardBackward(float[] images, int[] labels, int batch, long globalStep, SplitMix64 random) {
        model.backend().buffers().upload(images, batchImages);
        model.seedDropPath(RandomStreams.dropPathSeed(seed, globalStep));
        DeviceFloats embeddings = model.forward(batchImages, batch, activations, true);
        float value = loss.forwardBackward(embeddings, labels, batch, dEmbeddings, random);
        if (Float.isFinite(value)) { // a diverged step is stopped by the engine; its gradients are never used
            model.zeroGradients();
            model.backward(dEmbeddings, activations);
        }
        return value;
    }

    @Override
    public List<StateTensor> stateTensors() {
        return List.of(StateTensor.flat("model.parameters", model.parameters()),
                StateTensor.flat("model.running_statistics", model.statistics()), prototypesTensor());
    }

    @Override
    public Map<String, String> metadata() {
        try {
            return Map.of("vit", JSON.writeValueAsString(JSON.readTree(model.config().toJson())));
        } catch (JacksonException e) {
            throw new IllegalStateException("VitConfig JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void checkCompatible(Map<String, String> metadata, JsonNode state, Path file) {
        VitConfig saved = VitConfig.fromJson(metadata.getOrDefault("vit", "{}"));
        if (!saved.equals(model.config())) {
            throw new InvalidInputException(file + ": checkpoint model " + saved + " differs from this run's "
                    + model.config());
        }
        checkClasses(state, file);
    }

    @Override
    public void saveState(ObjectNode state) {
        state.putArray("batchesTracked").add(model.batchesTracked(0)).add(model.batchesTracked(1));
        super.saveState(state);
    }

    @Override
    public void restoreState(JsonNode state) {
        model.setBatchesTracked(0, state.path("batchesTracked").path(0).asLong());
        model.setBatchesTracked(1, state.path("batchesTracked").path(1).asLong());
        super.restoreState(state);
    }

    public VisionTransformer model() {
        return model;
    }

    @Override
    public void close() {
        super.close();
        activations.close();
        batchImages.close();
    }
}
