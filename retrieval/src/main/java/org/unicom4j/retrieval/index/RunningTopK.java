package org.unicom4j.retrieval.index;

import org.unicom4j.retrieval.Neighbours;

/**
 * The best k candidates per query seen so far, kept sorted, merged with one gallery chunk's sorted top list at a
 * time. Chunks must arrive in increasing gallery order: on equal scores the entry already held (from an earlier,
 * lower-indexed chunk) stays ahead, which keeps the global tie-break "score, then lower index".
 */
final class RunningTopK {
    private final int queries;
    private final int k;
    private final boolean larger;
    private final int[] indices;
    private final float[] scores;
    private final int[] filled;
    private final int[] mergedIdx;
    private final float[] mergedScore;

    RunningTopK(int queries, int k, boolean larger) {
        this.queries = queries;
        this.k = k;
        this.larger = larger;
        this.indices = new int[queries * k];
        this.scores = new float[queries * k];
        this.filled = new int[queries];
        this.mergedIdx = new int[k];
        this.mergedScore = new float[k];
    }

    /**
     * Merges chunk results: for query q, {@code count} entries at {@code [q * stride, q * stride + count)} of
     * {@code chunkIdx} (chunk-local indices, offset by {@code base}) and {@code chunkScores}, best first.
     */
    void merge(int q, int[] chunkIdx, float[] chunkScores, int from, int count, int base) {
        int held = filled[q], row = q * k;
        int a = 0, b = 0, out = 0;
        while (out < k && (a < held || b < count)) {
            boolean takeHeld;
            if (a >= held) {
                takeHeld = false;
            } else if (b >= count) {
                takeHeld = true;
            } else {
                float sa = scores[row + a], sb = chunkScores[from + b];
                takeHeld = sa == sb || (larger ? sa > sb : sa < sb);
            }
            if (takeHeld) {
                mergedIdx[out] = indices[row + a];
                mergedScore[out++] = scores[row + a++];
            } else {
                mergedIdx[out] = base + chunkIdx[from + b];
                mergedScore[out++] = chunkScores[from + b++];
            }
        }
        System.arraycopy(mergedIdx, 0, indices, row, out);
        System.arraycopy(mergedScore, 0, scores, row, out);
        filled[q] = out;
    }

    /** The merged lists; every query must hold k entries (k <= candidates). */
    Neighbours toNeighbours(int candidates) {
        for (int q = 0; q < queries; q++) {
            if (filled[q] != k) {
                throw new IllegalStateException("top-k merge: query " + q + " holds " + filled[q]
                        + " neighbours, expected " + k);
            }
        }
        return new Neighbours(queries, k, candidates, indices, scores, larger);
    }
}
