package org.unicom4j.training.optim;

/** Learning rate and beta1 as functions of the step (0-based) of a run of {@code totalSteps}. */
public interface Schedule {
    float learningRate(long step);

    /** Adam's beta1 at this step (constant unless the schedule cycles momentum). */
    float beta1(long step);
}
