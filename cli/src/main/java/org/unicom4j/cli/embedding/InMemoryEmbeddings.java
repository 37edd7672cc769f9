package org.unicom4j.cli.embedding;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unicom4j.api.dataset.DatasetEmbedder;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.retrieval.embeddings.ManifestEntry;

/** Embeddings computed in memory rather than read from disk: what {@code eval} embeds for itself. */
public final class InMemoryEmbeddings {
    private InMemoryEmbeddings() {
    }

    /**
     * The whole {@code source} embedded in memory by {@code model}, rows in source order (skipped bad images left out
     * of rows and entries), with progress and bad images reported on {@code err}.
     */
    public static EmbeddingSet embed(LoadedModel model, ImageSource source, int batch, int threads,
                                     BadImagePolicy policy, PrintStream err) throws IOException {
        int dim = model.dim();
        float[] all = new float[Math.multiplyExact(source.size(), dim)];
        List<ManifestEntry> entries = new ArrayList<>(source.size());
        DatasetEmbedder.embed(model, source, batch, threads, policy, err, EmbeddingProgress.on(err, source),
                (indices, embeddings, count) -> {
                    System.arraycopy(embeddings, 0, all, entries.size() * dim, count * dim);
                    for (int i = 0; i < count; i++) {
                        entries.add(source.entry(entries.size(), indices[i]));
                    }
                });
        if (entries.isEmpty()) {
            throw new InvalidInputException("no image of " + source.description() + " could be embedded");
        }
        float[] rows = entries.size() == source.size() ? all : Arrays.copyOf(all, entries.size() * dim);
        return new EmbeddingSet(new Vectors(rows, entries.size(), dim), entries, model.id(), null);
    }

}
