package org.unicom4j.training.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.training.optim.ParameterGroup;
import org.unicom4j.training.random.SplitMix64;

/**
 * What a training method plugs into the {@link Trainer}: its model and loss on the device, as parameter groups
 * the engine's optimiser updates, one forward and backward pass per batch, and the state a checkpoint must hold.
 * The engine brings everything else: batches (shuffled, augmented, prefetched), the schedule, AdamW, gradient
 * clipping, the NaN guard, the position, checkpoints and exact resume.
 */
public interface Learner extends AutoCloseable {

    Backend backend();

    /** The optimiser's groups, in a fixed order (their names name the moments in checkpoints). */
    List<ParameterGroup> parameterGroups();

    /** The gradients that gradient clipping covers (the backbone's), or null when the method clips none. */
    DeviceFloats clippedGradients();

    /**
     * Images per batch item: 1, or 2 for a method that learns from two augmented views of each image (the batch
     * then holds an item's views one after the other).
     */
    int views();

    /**
     * One forward and backward pass on {@code batch} items (images [batch * views, C, H, W] on the host, labels
     * [batch]): writes every group's gradient (overwritten) and returns the loss, which the engine checks before
     * any update. {@code globalStep} seeds per-step randomness (stochastic depth); other random choices (class
     * and dimension sampling) draw from {@code random} only, whose state checkpoints keep.
     */
    float forwardBackward(float[] images, int[] labels, int batch, long globalStep, SplitMix64 random);

    /** Classes the last step scored against (0 for a method without classes). */
    int lastSampledClasses();

    /** The last step's loss terms, unweighted, by name, when the loss has several (logged with each step). */
    default java.util.Map<String, Float> lastLossTerms() {
        return java.util.Map.of();
    }

    /** Device state a checkpoint saves and restores besides the optimiser moments (parameters included). */
    List<StateTensor> stateTensors();

    /** Checkpoint metadata describing the model (e.g. its config), checked by {@link #checkCompatible}. */
    Map<String, String> metadata();

    /**
     * Throws a one-line IllegalArgumentException naming {@code file} if a checkpoint (its metadata and state
     * JSON) was not made by a learner of this shape; called before anything is restored.
     */
    void checkCompatible(Map<String, String> metadata, JsonNode state, Path file);

    /** Host-side state (counters) into a checkpoint's state JSON. */
    void saveState(ObjectNode state);

    /** Restores what {@link #saveState} wrote. */
    void restoreState(JsonNode state);

    @Override
    void close();
}
