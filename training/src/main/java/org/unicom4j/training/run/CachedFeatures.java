package org.unicom4j.training.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.checkpoint.ModelId;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.training.config.DataSpec;
import org.unicom4j.training.config.HeadSpec;
import org.unicom4j.training.trainer.InMemoryImages;

/**
 * A frozen backbone's features cached by {@code unicom4j embed} (rows, a manifest with each row's label, the model
 * id) as training items for the {@code head} method: each row is an "image" of {@code dim} channels and size 1, held
 * in memory, never augmented. The manifest must describe every row; when the run names its backbone, the features
 * must have been made by that file.
 */
final class CachedFeatures {
    private CachedFeatures() {
    }

    static InMemoryImages open(DataSpec spec, HeadSpec head, String key) throws IOException {
        String backbone = head.backbone();
        Path path = Path.of(spec.features());
        if (!Files.exists(path)) {
            throw new InvalidInputException(key + ".path: " + path + ": no cached features (an embed output folder or "
                    + "its .npy)");
        }
        EmbeddingSet set = EmbeddingSet.read(path, null);
        if (backbone != null) {
            String expected = ModelId.ofWeights(Path.of(backbone));
            if (set.modelId() == null || !set.modelId().equals(expected)) {
                throw new InvalidInputException(key + ": " + set.file() + " holds features of model '" + set.modelId()
                        + "', not of model.backbone '" + expected + "' (" + backbone + "); embed them again with it");
            }
        }
        String output = output(set.file());
        if (!output.equals(head.input())) {
            throw new InvalidInputException(key + ": " + set.file() + " holds the backbone's " + output + ", but "
                    + "model.input is " + head.input());
        }
        int n = spec.limit() > 0 ? Math.min(spec.limit(), set.rows()) : set.rows(), dim = set.dim();
        float[] rows = Arrays.copyOf(set.vectors().data(), Math.multiplyExact(n, dim));
        return new InMemoryImages(rows, Arrays.copyOf(set.labels(), n), dim, 1, null);
    }

    /** What embed wrote ({@code output} in embed.json beside the rows; embeddings when it does not say). */
    private static String output(Path npy) throws IOException {
        Path info = npy.toAbsolutePath().getParent().resolve(EmbeddingSet.INFO);
        if (!Files.isRegularFile(info)) {
            return "embedding";
        }
        return new ObjectMapper().readTree(info.toFile()).path("output").asText("embedding");
    }
}
