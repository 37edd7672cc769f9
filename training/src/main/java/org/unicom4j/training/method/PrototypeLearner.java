package org.unicom4j.training.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.training.loss.PrototypeLoss;
import org.unicom4j.training.optim.ParameterGroup;
import org.unicom4j.training.trainer.Learner;
import org.unicom4j.training.trainer.RandomStreams;
import org.unicom4j.training.trainer.StateTensor;

/**
 * What the learners of the methods with a {@link PrototypeLoss} share: a model group and the prototypes as the
 * optimiser's two groups, the prototypes drawn from the run's seed, one view per item, the loss's state (its
 * prototypes, its class count, its running statistics) in checkpoints, and the buffer of dLoss/dEmbeddings.
 */
public abstract class PrototypeLearner implements Learner {
    protected final PrototypeLoss loss;
    protected final long seed;
    protected final DeviceFloats dEmbeddings;
    private final List<ParameterGroup> groups;

    /**
     * Owns {@code loss} (closed with the learner); {@code model} is the other trained group, first; the prototypes
     * train at {@code prototypeLrScale} times the base rate; both groups get {@code decoupledDecay}.
     */
    protected PrototypeLearner(Backend backend, ParameterGroup model, PrototypeLoss loss, float prototypeLrScale,
                               float decoupledDecay, int batchSize, long seed) {
        this.loss = loss;
        this.seed = seed;
        this.groups = List.of(model, new ParameterGroup("prototypes", loss.prototypes(), loss.prototypeGradient(),
                prototypeLrScale, decoupledDecay));
        this.dEmbeddings = backend.buffers().allocFloats((long) batchSize * loss.embDim());
        loss.initPrototypes(RandomStreams.seed(seed, RandomStreams.PROTOTYPES), 0.01);
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        return groups;
    }

    @Override
    public int views() {
        return 1;
    }

    @Override
    public int lastSampledClasses() {
        return loss.lastSampledClasses();
    }

    /** The prototypes as a checkpoint tensor. */
    protected StateTensor prototypesTensor() {
        return new StateTensor("loss.prototypes", new long[] {loss.prototypeRows(), loss.embDim()}, loss.prototypes());
    }

    /** Refuses a checkpoint of another class count (one line naming the file). */
    protected void checkClasses(JsonNode state, Path file) {
        long classes = state.path("classes").asLong(Long.MIN_VALUE);
        if (classes != loss.classes()) {
            throw new InvalidInputException(file + ": checkpoint classes is " + classes + ", this run's is "
                    + loss.classes());
        }
    }

    @Override
    public void saveState(ObjectNode state) {
        state.put("classes", loss.classes());
        loss.saveState(state);
    }

    @Override
    public void restoreState(JsonNode state) {
        loss.restoreState(state);
    }

    /** The loss (its prototypes and running statistics), for tests and for starting the prototypes elsewhere. */
    public PrototypeLoss loss() {
        return loss;
    }

    @Override
    public void close() {
        loss.close();
        dEmbeddings.close();
    }
}
