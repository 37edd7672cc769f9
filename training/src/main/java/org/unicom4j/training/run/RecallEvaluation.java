package org.unicom4j.training.run;

import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitConfig;
import org.unicom4j.model.vit.VitEmbedder;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.BackendExactSearch;
import org.unicom4j.retrieval.index.Similarity;
import org.unicom4j.retrieval.metrics.ClassRelevance;
import org.unicom4j.retrieval.metrics.EmbeddingPrefix;
import org.unicom4j.retrieval.metrics.RecallAtK;
import org.unicom4j.training.trainer.TrainingImages;

/**
 * Leave-one-out Recall@1 of a model on labelled images (spec unicom.md section 6): embed in evaluation mode
 * (running BatchNorm statistics, no augmentation), L2-normalise, find each image's nearest other image by
 * Euclidean distance, and count how often it has the same label. The model's training state is not touched.
 */
final class RecallEvaluation {
    private static final int BATCH = 256;

    private RecallEvaluation() {
    }

    static double recallAt1(VisionTransformer model, TrainingImages images) {
        VitConfig c = model.config();
        int n = images.count(), emb = c.embedding();
        int imageFloats = c.channels() * c.imageSize() * c.imageSize();
        float[] embeddings = new float[Math.multiplyExact(n, emb)];
        int[] labels = new int[n];
        try (VitEmbedder embedder = new VitEmbedder(model, Math.min(BATCH, n))) {
            float[] chunk = new float[Math.min(BATCH, n) * imageFloats];
            for (int start = 0; start < n; start += BATCH) {
                int count = Math.min(BATCH, n - start);
                int first = start;
                java.util.stream.IntStream.range(0, count).parallel()
                        .forEach(i -> images.copyImage(first + i, chunk, i * imageFloats, null));
                float[] out = embedder.embed(count == chunk.length / imageFloats ? chunk
                        : java.util.Arrays.copyOf(chunk, count * imageFloats), count);
                System.arraycopy(out, 0, embeddings, start * emb, count * emb);
                for (int i = 0; i < count; i++) {
                    labels[start + i] = images.label(start + i);
                }
            }
        }
        Vectors normalised = EmbeddingPrefix.normalized(new Vectors(embeddings, n, emb));
        Neighbours nearest = new BackendExactSearch(model.backend()).searchLeaveOneOut(normalised, 1,
                Similarity.SQUARED_L2);
        return RecallAtK.compute(nearest, ClassRelevance.leaveOneOut(labels), 1);
    }
}
