package org.unicom4j.api.model;

import java.nio.file.Path;
import org.unicom4j.data.InvalidInputException;

/**
 * Which model to open: a weights file (a released Unicom {@code .pt} or a safetensors file, such as the demo's
 * {@code runs/demo/unicom/model.safetensors}), or a shape initialised from scratch with a seed; with the id an index
 * records.
 *
 * @param weights    the weights file, or null for a from-scratch model
 * @param shape      a preset name ({@link ModelPresets#names()}) or a VitConfig JSON file; null to read the shape off
 *                   the weights (required without weights)
 * @param randomSeed the initialisation seed when there are no weights, else null
 * @param id         the model id, or null for the default (weights file name and size, or seed and shape)
 */
public record ModelSource(Path weights, String shape, Long randomSeed, String id) {

    public ModelSource {
        if ((weights == null) == (randomSeed == null)) {
            throw new InvalidInputException(weights == null ? "no model: give a weights file, or a shape to "
                    + "initialise from scratch" : "a weights file and a random seed exclude each other");
        }
        if (weights == null && shape == null) {
            throw new InvalidInputException("a model initialised from scratch needs a shape (" + ModelPresets.names()
                    + " or a config JSON)");
        }
        if (id != null && id.isBlank()) {
            throw new InvalidInputException("a model id must not be blank");
        }
    }

    /** The model in {@code weights}, its shape read off the file. */
    public static ModelSource weights(Path weights) {
        return new ModelSource(weights, null, null, null);
    }

    /** A model of shape {@code shape} initialised from scratch with {@code seed} (a baseline or a smoke test). */
    public static ModelSource random(String shape, long seed) {
        return new ModelSource(null, shape, seed, null);
    }

    /** The same source with the shape given instead of read off the weights. */
    public ModelSource withShape(String newShape) {
        return new ModelSource(weights, newShape, randomSeed, id);
    }

    /** The same source recorded under {@code newId}. */
    public ModelSource withId(String newId) {
        return new ModelSource(weights, shape, randomSeed, newId);
    }
}
