package org.unicom4j.retrieval.metrics;

import java.util.Arrays;

/**
 * Multi-label relevance (FLICKR25K, NUS-WIDE): an item is relevant when it shares at least one label with the
 * query. Labels arrive as multi-hot rows (non-zero = has the label) and are packed into 64-bit words.
 */
public final class MultiLabelRelevance implements Relevance {
    private final long[] queryBits;
    private final long[] galleryBits;
    private final int words;
    private final int queries;
    private final int gallery;
    private final boolean leaveOneOut;
    private final int[] counts;

    private MultiLabelRelevance(long[] queryBits, long[] galleryBits, int words, boolean leaveOneOut) {
        this.queryBits = queryBits;
        this.galleryBits = galleryBits;
        this.words = words;
        this.queries = queryBits.length / words;
        this.gallery = galleryBits.length / words;
        this.leaveOneOut = leaveOneOut;
        this.counts = new int[queries];
        Arrays.fill(counts, -1);
    }

    /** Query and database label matrices [n x labels], multi-hot, row-major. */
    public static MultiLabelRelevance queryGallery(int[] queryMultiHot, int[] galleryMultiHot, int labels) {
        int words = (labels + 63) / 64;
        return new MultiLabelRelevance(pack("query", queryMultiHot, labels, words),
                pack("gallery", galleryMultiHot, labels, words), words, false);
    }

    /** One labelled set ranked against itself, each query left out. */
    public static MultiLabelRelevance leaveOneOut(int[] multiHot, int labels) {
        int words = (labels + 63) / 64;
        long[] bits = pack("labels", multiHot, labels, words);
        return new MultiLabelRelevance(bits, bits, words, true);
    }

    private static long[] pack(String name, int[] multiHot, int labels, int words) {
        if (labels <= 0 || multiHot.length % labels != 0) {
            throw new IllegalArgumentException("multi-label relevance: " + name + " has " + multiHot.length
                    + " entries, not whole rows of " + labels + " labels");
        }
        int rows = multiHot.length / labels;
        long[] bits = new long[rows * words];
        for (int r = 0; r < rows; r++) {
            for (int l = 0; l < labels; l++) {
                if (multiHot[r * labels + l] != 0) {
                    bits[r * words + l / 64] |= 1L << (l % 64);
                }
            }
        }
        return bits;
    }

    @Override
    public int queries() {
        return queries;
    }

    @Override
    public int gallerySize() {
        return gallery;
    }

    @Override
    public boolean isRelevant(int query, int item) {
        for (int w = 0; w < words; w++) {
            if ((queryBits[query * words + w] & galleryBits[item * words + w]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Counted on first use by a pass over the gallery, then cached. */
    @Override
    public synchronized int relevantCount(int query) {
        if (counts[query] < 0) {
            int n = 0;
            for (int g = 0; g < gallery; g++) {
                if (isRelevant(query, g) && !(leaveOneOut && g == query)) {
                    n++;
                }
            }
            counts[query] = n;
        }
        return counts[query];
    }
}
