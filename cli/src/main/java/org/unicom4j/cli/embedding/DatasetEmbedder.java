package org.unicom4j.cli.embedding;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.loader.BadImage;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.data.loader.Batch;
import org.unicom4j.data.loader.BatchLoader;
import org.unicom4j.data.loader.EpochIterator;
import org.unicom4j.model.ImageEmbedder;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.training.run.ProgressLine;

/**
 * Embeds every image of an {@link ImageSource} in order, in batches decoded and preprocessed on background
 * threads, with progress on stderr. Raw head outputs (not normalised), as the released model gives them.
 */
public final class DatasetEmbedder {

    /** Receives each batch's embeddings [count, dim] and the source indices they belong to, in source order. */
    @FunctionalInterface
    public interface Sink {
        void accept(int[] indices, float[] embeddings, int count) throws IOException;
    }

    private DatasetEmbedder() {
    }

    /**
     * Runs the whole source through the model. Bad images are skipped (and listed in the result) or stop the run
     * with a {@link org.unicom4j.data.loader.BadImageException} naming the image, per {@code policy}.
     */
    public static List<BadImage> embed(LoadedModel model, ImageSource source, int batch, int threads,
                                       BadImagePolicy policy, PrintStream progress, Sink sink) throws IOException {
        ProgressLine line = new ProgressLine(progress, ProgressLine.stderrIsTerminal());
        line.begin("embedding " + source.description(), "", source.size(), 0, 1, "img");
        try (BatchLoader loader = BatchLoader.builder(source.dataset(), model.preprocessing()).batchSize(batch)
                .shuffle(false).threads(threads).badImagePolicy(policy).report(progress).build();
             ImageEmbedder embedder = model.embedder(batch);
             EpochIterator epoch = loader.epoch(0)) {
            for (Batch b : epoch) {
                if (b.size() > 0) {
                    sink.accept(b.indices(), embedder.embed(b.images(), b.size()), b.size());
                }
                line.update(Math.min(source.size(), (b.number() + 1L) * batch), "");
            }
            return loader.badImages();
        }
    }

    /** The whole source embedded in memory, rows in source order (skipped images left out of rows and entries). */
    public static EmbeddingSet embedAll(LoadedModel model, ImageSource source, int batch, int threads,
                                        BadImagePolicy policy, PrintStream progress) throws IOException {
        int dim = model.dim();
        float[] all = new float[Math.multiplyExact(source.size(), dim)];
        List<ManifestEntry> entries = new ArrayList<>(source.size());
        embed(model, source, batch, threads, policy, progress, (indices, embeddings, count) -> {
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
