package org.unicom4j.training.trainer;

/**
 * Training diverged: a step produced a NaN or infinite loss (or gradient norm), or a state about to be saved
 * holds one. Thrown before the optimiser step, so the model and optimiser hold the state after the last good
 * step and no checkpoint of the bad step is written. The one type that means divergence (the command line exits
 * with 4 for it); it is neither bad input nor a bug.
 */
public final class TrainingDivergedException extends RuntimeException {
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
