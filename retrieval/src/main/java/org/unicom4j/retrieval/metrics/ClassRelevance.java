package org.unicom4j.retrieval.metrics;

import java.util.HashMap;
import java.util.Map;

/** Single-label relevance: an item is relevant when it has the query's class label. */
public final class ClassRelevance implements Relevance {
    private final int[] queryLabels;
    private final int[] galleryLabels;
    private final Map<Integer, Integer> galleryClassSizes = new HashMap<>();
    private final boolean leaveOneOut;

    private ClassRelevance(int[] queryLabels, int[] galleryLabels, boolean leaveOneOut) {
        this.queryLabels = queryLabels;
        this.galleryLabels = galleryLabels;
        this.leaveOneOut = leaveOneOut;
        for (int label : galleryLabels) {
            galleryClassSizes.merge(label, 1, Integer::sum);
        }
    }

    /** One set ranked against itself, each query left out of its own ranking (CUB, Cars, SOP, iNat). */
    public static ClassRelevance leaveOneOut(int[] labels) {
        return new ClassRelevance(labels, labels, true);
    }

    /** Separate query and gallery sets (In-shop). */
    public static ClassRelevance queryGallery(int[] queryLabels, int[] galleryLabels) {
        return new ClassRelevance(queryLabels, galleryLabels, false);
    }

    @Override
    public int queries() {
        return queryLabels.length;
    }

    @Override
    public int gallerySize() {
        return galleryLabels.length;
    }

    @Override
    public boolean isRelevant(int query, int item) {
        return queryLabels[query] == galleryLabels[item];
    }

    @Override
    public int relevantCount(int query) {
        int n = galleryClassSizes.getOrDefault(queryLabels[query], 0);
        return leaveOneOut ? n - 1 : n;
    }
}
