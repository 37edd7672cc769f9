package org.unicom4j.spark.embed;

import java.io.Serializable;
import org.unicom4j.api.model.ModelSource;

/**
 * An {@link ModelSource} that travels to the executors: the weights file (at the same path on every executor: a
 * shared file system, or shipped with {@code spark-submit --files}), or a shape and seed.
 *
 * @param weights    the weights file, or null
 * @param shape      the shape, or null to read it off the weights
 * @param randomSeed the seed of a from-scratch model, or null
 * @param id         the model id, or null for the default
 */
public record ModelSpec(String weights, String shape, Long randomSeed, String id) implements Serializable {

    public static ModelSpec of(ModelSource source) {
        return new ModelSpec(source.weights() == null ? null : source.weights().toAbsolutePath().toString(),
                source.shape(), source.randomSeed(), source.id());
    }
}
