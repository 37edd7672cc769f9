package org.unicom4j.training.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.unicom4j.kernels.Margin;

/**
 * The host side of one margin-loss variant (docs/TRAINING.md, "The margin-loss family"): what margin each step
 * runs the one margin softmax kernel with. A fixed margin returns the same {@link Margin} every step; adaptive
 * variants read the step's statistics ({@link MarginStep}), update their running statistics, and may give every row
 * its own margins. Running statistics are saved in checkpoints ({@link #saveState}), so a resumed run continues them.
 */
public interface MarginPolicy {

    /** This step's margin; called after the step's cosines are computed and before the loss. */
    Margin margin(MarginStep step);

    /** Whether {@link #margin} writes per-row margins into {@link MarginStep#rowMargins()}. */
    default boolean perRowMargins() {
        return false;
    }

    /** Whether the variant needs every class in every step (its statistics sum over all of them). */
    default boolean needsAllClasses() {
        return false;
    }

    /** Whether the variant needs every feature dimension (it reads the embedding norms). */
    default boolean needsAllDims() {
        return false;
    }

    /** The running statistics into a checkpoint's state (nothing for a fixed margin). */
    default void saveState(ObjectNode state) {
    }

    /** Restores what {@link #saveState} wrote. */
    default void restoreState(JsonNode state) {
    }
}
