package org.unicom4j.training.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.random.RandomGenerator;
import org.unicom4j.kernels.DeviceFloats;

/**
 * A classification loss over learned class prototypes, as the trainer sees it: it owns the prototype matrix and
 * its gradient (the trainer hands both to the optimiser and to checkpoints), and turns one batch of embeddings
 * and labels into a loss and the embeddings' gradient. {@link SampledMarginSoftmax} is the Unicom loss and, with a
 * {@link MarginPolicy} and sub-centres, every variant of the margin-loss family.
 */
public interface PrototypeLoss extends AutoCloseable {

    /**
     * One step: the loss of {@code batch} embeddings [batch, embDim] with labels in [0, classes); writes
     * dLoss/dEmbeddings (overwritten) and the prototype gradient (overwritten). Random choices (class and
     * dimension sampling) draw from {@code random} only.
     */
    float forwardBackward(DeviceFloats embeddings, int[] labels, int batch, DeviceFloats dEmbeddings,
                          RandomGenerator random);

    /** Draws the initial prototypes (seeded). */
    void initPrototypes(long seed, double std);

    /** The trained parameters, a [prototypeRows, embDim] matrix. */
    DeviceFloats prototypes();

    /** Same shape as {@link #prototypes()}; valid after {@link #forwardBackward}. */
    DeviceFloats prototypeGradient();

    /** Rows of {@link #prototypes()} (the class count, or more for multi-prototype variants). */
    default long prototypeRows() {
        return prototypes().length() / embDim();
    }

    int classes();

    int embDim();

    /** Classes the last step scored against (all of them without class sampling). */
    int lastSampledClasses();

    /** Host-side running statistics (adaptive margins) into a checkpoint's state; nothing for a fixed margin. */
    default void saveState(ObjectNode state) {
    }

    /** Restores what {@link #saveState} wrote. */
    default void restoreState(JsonNode state) {
    }

    @Override
    void close();
}
