package org.unicom4j.model.vit;

import java.util.Set;

/**
 * Named host tensors to load a model from: a checkpoint's state dict, a folder of {@code .npy} files, or the
 * export of another model. Values come as float32, whatever the stored type (fp16 widened exactly).
 */
public interface TensorSource {

    /** Every key, in the source's order. */
    Set<String> keys();

    /** The shape of {@code key}, e.g. {@code [768, 3, 32, 32]}; {@code []} for a scalar. */
    long[] shape(String key);

    /** The values of {@code key} as float32, row-major (C order). */
    float[] floats(String key);
}
