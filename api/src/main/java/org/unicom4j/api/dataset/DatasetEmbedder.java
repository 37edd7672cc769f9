package org.unicom4j.api.dataset;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.function.LongConsumer;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.data.loader.BadImage;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.data.loader.Batch;
import org.unicom4j.data.loader.BatchLoader;
import org.unicom4j.data.loader.EpochIterator;
import org.unicom4j.model.ImageEncoder;

/**
 * Embeds every image of an {@link ImageSource} in order, in batches decoded and preprocessed on background
 * threads, telling a progress callback how many images are done. Raw head outputs (not normalised), as the released
 * model gives them. For a whole data set in one process; {@link org.unicom4j.api.ImageEmbedder} serves images as
 * they come.
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
     * Runs the whole source through the model. Bad images are skipped (named on {@code report}, listed in the
     * result) or stop the run with a {@link org.unicom4j.data.loader.BadImageException} naming the image, per
     * {@code policy}. {@code progress} hears the number of images done after each batch.
     */
    public static List<BadImage> embed(LoadedModel model, ImageSource source, int batch, int threads,
                                       BadImagePolicy policy, PrintStream report, LongConsumer progress, Sink sink)
            throws IOException {
        try (BatchLoader loader = BatchLoader.builder(source.dataset(), model.preprocessing()).batchSize(batch)
                .shuffle(false).threads(threads).badImagePolicy(policy).report(report).build();
             ImageEncoder embedder = model.encoder(batch);
             EpochIterator epoch = loader.epoch(0)) {
            for (Batch b : epoch) {
                if (b.size() > 0) {
                    sink.accept(b.indices(), embedder.embed(b.images(), b.size()), b.size());
                }
                progress.accept(Math.min(source.size(), (b.number() + 1L) * batch));
            }
            return loader.badImages();
        }
    }
}
