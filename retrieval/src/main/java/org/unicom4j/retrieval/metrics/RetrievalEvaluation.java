package org.unicom4j.retrieval.metrics;

import java.util.stream.IntStream;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.KnnSearch;
import org.unicom4j.retrieval.index.Similarity;

/**
 * The metric-learning evaluation from embeddings (spec section 6): L2-normalise, optionally keep a prefix of the
 * dimensions ({@link EmbeddingPrefix}), rank by Euclidean distance, then Recall@K for each requested K and mAP@R.
 * The search goes as deep as the largest K or class needs. The one leave-one-out and query/gallery evaluation of
 * the project: the {@code eval} command, the training engine's per-epoch Recall@1 and its evaluation stages use it.
 *
 * <p>The benchmark protocols of the universal-embedding papers ({@code eval --protocol mmp5|map100|knn}), each over
 * queries against a separate index set, or leave-one-out over one set (a null query set): mMP@5 (Euclidean 5-NN on
 * the embeddings as given), mAP@100 (L2-normalised, Euclidean) and weighted k-NN classification (cosine).
 */
public final class RetrievalEvaluation {

    /**
     * Recall at each requested K (same order) and mAP@R, fractions in [0, 1], and the rankings they were computed
     * from (each query's neighbours, best first, as deep as the evaluation searched).
     */
    public record Scores(int[] ks, double[] recall, double mapAtR, Neighbours ranked) {
        /** Recall@K of a requested K. */
        public double recallAt(int k) {
            for (int i = 0; i < ks.length; i++) {
                if (ks[i] == k) {
                    return recall[i];
                }
            }
            throw new IllegalArgumentException("Recall@" + k + " was not evaluated (K: " + java.util.Arrays.toString(ks)
                    + ")");
        }
    }

    private RetrievalEvaluation() {
    }

    /** One labelled set, each query left out of its own ranking (CUB, Cars, SOP, iNat). */
    public static Scores leaveOneOut(KnnSearch search, Vectors embeddings, int[] labels, int prefixDims,
                                     int... ks) {
        Relevance relevance = ClassRelevance.leaveOneOut(labels);
        Neighbours nb = search.searchLeaveOneOut(EmbeddingPrefix.of(embeddings, prefixDims),
                depth(relevance, ks), Similarity.SQUARED_L2);
        return score(nb, relevance, ks);
    }

    /** Separate query and gallery sets (In-shop). */
    public static Scores queryGallery(KnnSearch search, Vectors queries, int[] queryLabels, Vectors gallery,
                                      int[] galleryLabels, int prefixDims, int... ks) {
        Relevance relevance = ClassRelevance.queryGallery(queryLabels, galleryLabels);
        Neighbours nb = search.search(EmbeddingPrefix.of(queries, prefixDims),
                EmbeddingPrefix.of(gallery, prefixDims), depth(relevance, ks), Similarity.SQUARED_L2);
        return score(nb, relevance, ks);
    }

    /**
     * mMP@5 of the Google Universal Image Embedding Challenge ({@link MmpAt5}): the 5 nearest index items by
     * Euclidean distance on the raw embeddings. {@code queries} null: each index row queries the others.
     */
    public static double mmpAt5(KnnSearch search, Vectors queries, int[] queryLabels, Vectors index,
                                int[] indexLabels) {
        Neighbours nb = queries == null ? search.searchLeaveOneOut(index, 5, Similarity.SQUARED_L2)
                : search.search(queries, index, 5, Similarity.SQUARED_L2);
        return MmpAt5.compute(nb, relevance(queryLabels, indexLabels));
    }

    /**
     * mAP@100 of Google Landmarks v2 retrieval ({@link MapAt100}) on L2-normalised embeddings ranked by Euclidean
     * distance. {@code queries} null: leave-one-out.
     */
    public static double mapAt100(KnnSearch search, Vectors queries, int[] queryLabels, Vectors index,
                                  int[] indexLabels) {
        Vectors x = L2Norm.normalized(index);
        Neighbours nb = queries == null ? search.searchLeaveOneOut(x, 100, Similarity.SQUARED_L2)
                : search.search(L2Norm.normalized(queries), x, 100, Similarity.SQUARED_L2);
        return MapAt100.compute(nb, relevance(queryLabels, indexLabels));
    }

    /**
     * DINO's weighted k-NN classification ({@link KnnClassification}) of the queries by the labelled index rows, for
     * each k (one search as deep as the largest). {@code queries} null: each index row is classified by the others.
     */
    public static KnnClassification.Accuracy[] knn(KnnSearch search, Vectors queries, int[] queryLabels,
                                                   Vectors index, int[] indexLabels, int... ks) {
        int deepest = 1;
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("k-NN: k = " + k + " must be >= 1");
            }
            deepest = Math.max(deepest, k);
        }
        Vectors x = L2Norm.normalized(index);
        Neighbours nb = queries == null ? search.searchLeaveOneOut(x, deepest, Similarity.INNER_PRODUCT)
                : search.search(L2Norm.normalized(queries), x, deepest, Similarity.INNER_PRODUCT);
        int[] tested = queries == null ? indexLabels : queryLabels;
        int classes = 1 + Math.max(IntStream.of(indexLabels).max().orElse(0), IntStream.of(tested).max().orElse(0));
        KnnClassification.Accuracy[] out = new KnnClassification.Accuracy[ks.length];
        for (int i = 0; i < ks.length; i++) {
            // fewer candidates than k (a small index): every candidate votes
            out[i] = KnnClassification.evaluate(nb, indexLabels, tested, classes, Math.min(ks[i], nb.k()),
                    KnnClassification.TEMPERATURE);
        }
        return out;
    }

    private static Relevance relevance(int[] queryLabels, int[] indexLabels) {
        return queryLabels == null ? ClassRelevance.leaveOneOut(indexLabels)
                : ClassRelevance.queryGallery(queryLabels, indexLabels);
    }

    private static int depth(Relevance relevance, int[] ks) {
        int depth = 1;
        for (int k : ks) {
            depth = Math.max(depth, k);
        }
        for (int q = 0; q < relevance.queries(); q++) {
            depth = Math.max(depth, relevance.relevantCount(q));
        }
        return depth;
    }

    private static Scores score(Neighbours nb, Relevance relevance, int[] ks) {
        return new Scores(ks.clone(), RecallAtK.compute(nb, relevance, ks), MapAtR.compute(nb, relevance), nb);
    }
}
