package org.unicom4j.retrieval.lucene;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.unicom4j.data.InvalidInputException;

/**
 * What an index was built with, kept in the user data of every Lucene commit so that an index is never extended
 * or searched with embeddings of another model or size.
 *
 * @param dim       embedding dimension
 * @param modelId   free-form id of the model that produced the embeddings
 * @param quantized whether vectors are stored int8 scalar-quantised (Lucene99HnswScalarQuantizedVectorsFormat)
 */
public record IndexMeta(int dim, String modelId, boolean quantized) {
    static final String DIM_KEY = "unicom4j.dim";
    static final String MODEL_KEY = "unicom4j.model";
    static final String QUANTIZED_KEY = "unicom4j.quantized";

    public IndexMeta {
        if (dim <= 0 || modelId == null || modelId.isEmpty()) {
            throw new IllegalArgumentException("index meta: dim = " + dim + ", model id = " + modelId
                    + "; expected dim > 0 and a non-empty model id");
        }
    }

    Map<String, String> toUserData() {
        Map<String, String> data = new HashMap<>();
        data.put(DIM_KEY, Integer.toString(dim));
        data.put(MODEL_KEY, modelId);
        data.put(QUANTIZED_KEY, Boolean.toString(quantized));
        return data;
    }

    static IndexMeta fromUserData(Path dir, Map<String, String> data) {
        String dim = data.get(DIM_KEY), model = data.get(MODEL_KEY), quantized = data.get(QUANTIZED_KEY);
        if (dim == null || model == null || quantized == null) {
            throw new InvalidInputException("index " + dir + ": the last commit has no unicom4j meta (keys "
                    + DIM_KEY + ", " + MODEL_KEY + ", " + QUANTIZED_KEY + "); found keys " + data.keySet());
        }
        return new IndexMeta(Integer.parseInt(dim), model, Boolean.parseBoolean(quantized));
    }

    /** Throws naming both sides when {@code wanted} (what the caller opens with) differs from this stored meta. */
    void requireSame(Path dir, IndexMeta wanted) {
        if (!equals(wanted)) {
            throw new InvalidInputException("index " + dir + " was built with dim " + dim + ", model '"
                    + modelId + "', quantized " + quantized + "; opened with dim " + wanted.dim + ", model '"
                    + wanted.modelId + "', quantized " + wanted.quantized);
        }
    }
}
