package org.unicom4j.retrieval.metrics;

import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.KnnSearch;
import org.unicom4j.retrieval.index.Similarity;

/**
 * Recall@1 as a function of the embedding prefix length (Unicom's compactness curve, e.g. CUB R@1 of B/32 at
 * 32/64/128/256/512 dimensions): {@link EmbeddingPrefix} on each set, Euclidean ranking, Recall@1.
 */
public final class CompactnessCurve {
    private CompactnessCurve() {
    }

    /** Leave-one-out Recall@1 at each prefix length in {@code dims} (each at most the embedding dim). */
    public static double[] leaveOneOut(KnnSearch search, Vectors embeddings, int[] labels, int... dims) {
        Relevance relevance = ClassRelevance.leaveOneOut(labels);
        double[] recall = new double[dims.length];
        for (int i = 0; i < dims.length; i++) {
            Neighbours nb = search.searchLeaveOneOut(EmbeddingPrefix.of(embeddings, dims[i]), 1,
                    Similarity.SQUARED_L2);
            recall[i] = RecallAtK.compute(nb, relevance, 1);
        }
        return recall;
    }

    /** Query/gallery Recall@1 at each prefix length in {@code dims}. */
    public static double[] queryGallery(KnnSearch search, Vectors queries, int[] queryLabels, Vectors gallery,
                                        int[] galleryLabels, int... dims) {
        Relevance relevance = ClassRelevance.queryGallery(queryLabels, galleryLabels);
        double[] recall = new double[dims.length];
        for (int i = 0; i < dims.length; i++) {
            Neighbours nb = search.search(EmbeddingPrefix.of(queries, dims[i]),
                    EmbeddingPrefix.of(gallery, dims[i]), 1, Similarity.SQUARED_L2);
            recall[i] = RecallAtK.compute(nb, relevance, 1);
        }
        return recall;
    }
}
