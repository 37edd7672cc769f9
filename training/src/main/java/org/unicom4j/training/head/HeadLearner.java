package org.unicom4j.training.head;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.head.HeadConfig;
import org.unicom4j.model.head.ProjectionHead;
import org.unicom4j.training.loss.PrototypeLoss;
import org.unicom4j.training.method.PrototypeLearner;
import org.unicom4j.training.optim.ParameterGroup;
import org.unicom4j.training.random.SplitMix64;
import org.unicom4j.training.trainer.RandomStreams;
import org.unicom4j.training.trainer.StateTensor;

/**
 * The head's learner (spec unifex.md): each batch of cached features is dropped out on the host (a mask drawn from
 * the run's seed and the global step, so a resumed run draws the same), goes through the head on the device, into
 * the margin loss; the head and the prototypes are trained with Adam and L2 weight decay (wd x parameter added to
 * every gradient, as torch.optim.Adam's weight_decay; the engine's AdamW then runs without its decoupled decay). The
 * head belongs to the model (it outlives the stage); the loss and the step's buffers belong to the learner.
 */
final class HeadLearner extends PrototypeLearner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProjectionHead head;
    private final float weightDecay;
    private final float[] dropped;
    private final DeviceFloats x;

    HeadLearner(ProjectionHead head, PrototypeLoss loss, float prototypeLrScale, float weightDecay, int batchSize,
                long seed) {
        super(head.backend(), new ParameterGroup("head", head.parameters(), head.gradients(), 1f, 0f),
                checked(head, loss), prototypeLrScale, 0f, batchSize, seed);
        this.head = head;
        this.weightDecay = weightDecay;
        this.dropped = new float[batchSize * head.config().in()];
        this.x = head.backend().buffers().allocFloats(dropped.length);
    }

    private static PrototypeLoss checked(ProjectionHead head, PrototypeLoss loss) {
        if (loss.embDim() != head.config().out()) {
            loss.close();
            throw new IllegalArgumentException("loss embedding dim " + loss.embDim() + " differs from the head's "
                    + head.config().out());
        }
        return loss;
    }

    @Override
    public Backend backend() {
        return head.backend();
    }

    @Override
    public DeviceFloats clippedGradients() {
        return head.gradients();
    }

    @Override
    public float forwardBackward(float[] features, int[] labels, int batch, long globalStep, SplitMix64 random) {
        int n = batch * head.config().in();
        dropOut(features, n, globalStep);
        Backend backend = head.backend();
        DeviceFloats input = x.slice(0, n);
        backend.buffers().upload(dropped, 0, input);
        DeviceFloats embeddings = head.forwardTrain(input, batch);
        float value = loss.forwardBackward(embeddings, labels, batch, dEmbeddings, random);
        if (Float.isFinite(value)) { // a diverged step is stopped by the engine; its gradients are never used
            head.backward(dEmbeddings.slice(0, (long) batch * head.config().out()), input, batch);
            if (weightDecay > 0) {
                for (ParameterGroup g : parameterGroups()) {
                    backend.elementwise().axpy(weightDecay, g.parameters(), g.gradients(),
                            (int) g.parameters().length());
                }
            }
        }
        return value;
    }

    /** dropped = features with each value zeroed with probability p, the rest scaled by 1 / (1 - p). */
    private void dropOut(float[] features, int n, long globalStep) {
        float p = head.config().dropout();
        if (p == 0) {
            System.arraycopy(features, 0, dropped, 0, n);
            return;
        }
        SplitMix64 mask = new SplitMix64(RandomStreams.dropoutSeed(seed, globalStep));
        float keep = 1 / (1 - p);
        for (int i = 0; i < n; i++) {
            dropped[i] = mask.nextFloat() < p ? 0f : features[i] * keep;
        }
    }

    @Override
    public List<StateTensor> stateTensors() {
        List<StateTensor> t = new ArrayList<>();
        t.add(StateTensor.flat("head.parameters", head.parameters()));
        if (head.statistics() != null) {
            t.add(StateTensor.flat("head.running_statistics", head.statistics()));
        }
        t.add(prototypesTensor());
        return t;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("head", configJson(head.config()));
    }

    @Override
    public void checkCompatible(Map<String, String> metadata, JsonNode state, Path file) {
        HeadConfig saved = configFromJson(metadata.get("head"));
        if (!saved.equals(head.config())) {
            throw new InvalidInputException(file + ": checkpoint head " + saved + " differs from this run's "
                    + head.config());
        }
        checkClasses(state, file);
    }

    @Override
    public void saveState(ObjectNode state) {
        state.put("batchesTracked", head.batchesTracked());
        super.saveState(state);
    }

    @Override
    public void restoreState(JsonNode state) {
        head.setBatchesTracked(state.path("batchesTracked").asLong());
        super.restoreState(state);
    }

    ProjectionHead head() {
        return head;
    }

    static String configJson(HeadConfig c) {
        return JSON.createObjectNode().put("in", c.in()).put("out", c.out()).put("dropout", c.dropout())
                .put("batchNorm", c.batchNorm()).toString();
    }

    static HeadConfig configFromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json == null ? "{}" : json);
            return new HeadConfig(n.path("in").asInt(), n.path("out").asInt(), (float) n.path("dropout").asDouble(),
                    n.path("batchNorm").asBoolean());
        } catch (JacksonException | IllegalArgumentException e) {
            throw new InvalidInputException("not a head's config: " + json);
        }
    }

    @Override
    public void close() {
        super.close();
        x.close();
    }
}
