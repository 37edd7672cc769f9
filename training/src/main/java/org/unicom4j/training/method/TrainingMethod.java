package org.unicom4j.training.method;

import java.io.IOException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.training.config.ModelSpec;

/**
 * A training method (config {@code method}): what a run trains and how one step learns. A method provides its
 * model ({@link MethodModel}: embedding, saving, and a {@link org.unicom4j.training.trainer.Learner} per train
 * stage with its loss and batch shape); the engine gives every method the same batches, optimiser, schedule,
 * NaN guard, checkpoints, exact resume, metrics and progress. Methods are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.unicom4j.training.method.TrainingMethod}); {@link Methods} looks them up by name.
 */
public interface TrainingMethod {

    /** The name a config gives in {@code method}, e.g. {@code unicom}. */
    String name();

    /**
     * The model a run of this method trains, on {@code backend}: loaded from {@code model.weights()} when given,
     * else initialised from scratch with {@code seed}.
     */
    MethodModel open(Backend backend, ModelSpec model, long seed) throws IOException;
}
