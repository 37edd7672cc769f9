package org.unicom4j.retrieval.metrics;

import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.KnnSearch;
import org.unicom4j.retrieval.index.Similarity;

/**
 * The metric-learning evaluation from embeddings (spec section 6): L2-normalise, optionally keep a prefix of the
 * dimensions ({@link EmbeddingPrefix}), rank by Euclidean distance, then Recall@K for each requested K and mAP@R.
 * The search goes as deep as the largest K or class needs. The one leave-one-out and query/gallery evaluation of
 * the project: the {@code eval} command, the training engine's per-epoch Recall@1 and its evaluation stages use it.
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
