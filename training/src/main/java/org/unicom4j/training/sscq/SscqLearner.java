package org.unicom4j.training.sscq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.sscq.SscqActivations;
import org.unicom4j.model.sscq.SscqConfig;
import org.unicom4j.model.sscq.SscqModel;
import org.unicom4j.model.sscq.SscqStateDict;
import org.unicom4j.training.config.SscqLossSpec;
import org.unicom4j.training.optim.ParameterGroup;
import org.unicom4j.training.random.SplitMix64;
import org.unicom4j.training.trainer.Learner;
import org.unicom4j.training.trainer.RandomStreams;
import org.unicom4j.training.trainer.StateTensor;

/**
 * SSCQ's learner (spec sscq.md): each batch holds two augmented views of every image; the network gives their
 * features f and soft-quantised vectors z, {@link SscqLoss} scores them, and the backward reaches the encoder, the
 * head and the codebooks. Two parameter groups: {@code encoder} (the ViT) and {@code head} (the projection head and
 * the codebooks, at {@code headLrScale} times the base rate). Labels are not used. The model belongs to the caller;
 * the loss and the step's buffers to the learner.
 */
public final class SscqLearner implements Learner {
    private final SscqModel model;
    private final SscqLoss loss;
    private final long seed;
    private final List<ParameterGroup> groups;
    private final SscqActivations activations;
    private final DeviceFloats batchImages;
    private final DeviceFloats dFeatures;
    private final DeviceFloats dQuantised;
    private SscqLossValues last = new SscqLossValues(0, 0, 0, 0, 0, 0);

    /** A learner for batches of {@code batchSize} images (2 x batchSize views); {@code seed} reseeds drop path. */
    public SscqLearner(SscqModel model, SscqLossSpec spec, float headLrScale, float weightDecay, int batchSize,
                       long seed) {
        SscqConfig c = model.config();
        Backend backend = model.backend();
        int rows = 2 * batchSize;
        this.model = model;
        this.seed = seed;
        this.loss = new SscqLoss(backend, spec, rows, c.books(), c.words(), c.subDim());
        this.groups = List.of(
                new ParameterGroup("encoder", model.encoder().parameters(), model.encoder().gradients(), 1f,
                        weightDecay),
                new ParameterGroup("head", model.headParameters(), model.headGradients(), headLrScale, weightDecay));
        this.activations = SscqActivations.forTraining(backend, c, rows);
        long imageFloats = (long) c.encoder().channels() * c.encoder().imageSize() * c.encoder().imageSize();
        this.batchImages = backend.buffers().allocFloats(rows * imageFloats);
        this.dFeatures = backend.buffers().allocFloats((long) rows * c.featureDim());
        this.dQuantised = backend.buffers().allocFloats((long) rows * c.featureDim());
    }

    @Override
    public Backend backend() {
        return model.backend();
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        return groups;
    }

    @Override
    public DeviceFloats clippedGradients() {
        return model.encoder().gradients();
    }

    @Override
    public int views() {
        return 2;
    }

    @Override
    public float forwardBackward(float[] images, int[] labels, int batch, long globalStep, SplitMix64 random) {
        int rows = 2 * batch;
        model.backend().buffers().upload(images, batchImages);
        model.encoder().seedDropPath(RandomStreams.dropPathSeed(seed, globalStep));
        model.zeroGradients(); // the loss adds the diversity term's codebook gradient before the backward
        DeviceFloats f = model.forward(batchImages, rows, activations, true);
        DeviceFloats z = model.quantise(activations);
        last = loss.forwardBackward(f, z, model.codebooks(), rows, dFeatures, dQuantised,
                model.headGradient("codebooks"));
        if (Float.isFinite(last.total())) { // a diverged step is stopped by the engine; its gradients are never used
            model.backward(dFeatures, dQuantised, activations);
        }
        return last.total();
    }

    /** The last step's loss terms. */
    public SscqLossValues lastLoss() {
        return last;
    }

    @Override
    public Map<String, Float> lastLossTerms() {
        Map<String, Float> terms = new java.util.LinkedHashMap<>();
        terms.put("icz", last.icz());
        terms.put("icf", last.icf());
        terms.put("cc", last.cc());
        terms.put("pn", last.pn());
        terms.put("cd", last.cd());
        return terms;
    }

    @Override
    public int lastSampledClasses() {
        return 0;
    }

    @Override
    public List<StateTensor> stateTensors() {
        return List.of(StateTensor.flat("model.parameters", model.encoder().parameters()),
                StateTensor.flat("model.running_statistics", model.encoder().statistics()),
                StateTensor.flat("model.head", model.headParameters()));
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of(SscqStateDict.CONFIG_METADATA_KEY, model.config().toJson());
    }

    @Override
    public void checkCompatible(Map<String, String> metadata, JsonNode state, Path file) {
        String json = metadata.get(SscqStateDict.CONFIG_METADATA_KEY);
        if (json == null) {
            throw new InvalidInputException(file + ": not a checkpoint of an SSCQ run (no "
                    + SscqStateDict.CONFIG_METADATA_KEY + ")");
        }
        SscqConfig saved = SscqConfig.fromJson(json);
        if (!saved.equals(model.config())) {
            throw new InvalidInputException(file + ": checkpoint model " + saved + " differs from this run's "
                    + model.config());
        }
    }

    @Override
    public void saveState(ObjectNode state) {
        state.putArray("batchesTracked").add(model.encoder().batchesTracked(0)).add(model.encoder().batchesTracked(1));
    }

    @Override
    public void restoreState(JsonNode state) {
        model.encoder().setBatchesTracked(0, state.path("batchesTracked").path(0).asLong());
        model.encoder().setBatchesTracked(1, state.path("batchesTracked").path(1).asLong());
    }

    @Override
    public void close() {
        loss.close();
        activations.close();
        batchImages.close();
        dFeatures.close();
        dQuantised.close();
    }
}
