package org.unicom4j.training.trainer;

/**
 * A step produced a NaN or infinite loss (or gradient norm). Thrown before the optimiser step, so the model and
 * optimiser hold the state after the last good step and no checkpoint of the bad step is written.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private final long step;

    public TrainingDivergedException(String message, long step) {
        super(message);
        this.step = step;
    }

    /** The 1-based step that diverged. */
    public long step() {
        return step;
    }
}
