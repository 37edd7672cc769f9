package org.unicom4j.model.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The id that embeddings, indexes and cached features record of the model that made them, so that queries, searches
 * and heads are matched with the same model: a weights file's name and size.
 */
public final class ModelId {
    private ModelId() {
    }

    public static String ofWeights(Path weights) throws IOException {
        return weights.getFileName() + ":" + Files.size(weights);
    }
}
