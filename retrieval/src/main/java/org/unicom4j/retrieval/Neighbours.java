package org.unicom4j.retrieval;

import java.util.Arrays;

/**
 * Ranked neighbour lists: for each query, the indices of its {@code k} best gallery items, best first, and their
 * scores (a distance when {@code higherIsBetter} is false, a similarity otherwise). Equal scores are ordered by
 * the lower gallery index, so a ranking is a deterministic function of the scores.
 *
 * @param queries        number of queries
 * @param k              neighbours kept per query
 * @param candidates     how many gallery items each query was ranked among (gallery size, or size - 1 when the
 *                       query itself was left out); k == candidates means full rankings
 * @param indices        [queries x k] gallery indices, row-major
 * @param scores         [queries x k] scores matching {@code indices}
 * @param higherIsBetter true for similarities, false for distances
 */
public record Neighbours(int queries, int k, int candidates, int[] indices, float[] scores, boolean higherIsBetter) {

    public Neighbours {
        if (queries < 0 || k < 0 || k > candidates) {
            throw new IllegalArgumentException("neighbours: queries = " + queries + ", k = " + k + ", candidates = "
                    + candidates + "; expected queries >= 0 and 0 <= k <= candidates");
        }
        long n = (long) queries * k;
        if (indices.length != n || scores.length != n) {
            throw new IllegalArgumentException("neighbours: indices hold " + indices.length + " and scores "
                    + scores.length + " entries, expected [" + queries + " x " + k + "] = " + n);
        }
    }

    /** Rankings given directly (no scores; every score is 0), e.g. from a file or a hand-made test case. */
    public static Neighbours ofRankings(int[][] rankings, int candidates) {
        int q = rankings.length, k = q == 0 ? 0 : rankings[0].length;
        int[] idx = new int[q * k];
        for (int i = 0; i < q; i++) {
            if (rankings[i].length != k) {
                throw new IllegalArgumentException("neighbours: ranking " + i + " has " + rankings[i].length
                        + " entries, ranking 0 has " + k);
            }
            System.arraycopy(rankings[i], 0, idx, i * k, k);
        }
        return new Neighbours(q, k, candidates, idx, new float[q * k], false);
    }

    /** Gallery index of the r-th neighbour (0 = best) of query q. */
    public int index(int q, int r) {
        return indices[q * k + r];
    }

    /** Score of the r-th neighbour of query q. */
    public float score(int q, int r) {
        return scores[q * k + r];
    }

    /** The ranked gallery indices of query q. */
    public int[] ranking(int q) {
        return Arrays.copyOfRange(indices, q * k, (q + 1) * k);
    }

    /**
     * Leave-one-out from a search of the same points against themselves with one neighbour more than wanted:
     * query q's own index is removed from its list (or, when it was not among them, the last entry is dropped),
     * leaving {@code k} neighbours among {@code candidates - 1}.
     */
    public Neighbours excludingSelf(int keep) {
        if (keep < 0 || keep > k || keep > candidates - 1) {
            throw new IllegalArgumentException("neighbours: cannot keep " + keep + " of " + k + " neighbours after "
                    + "leaving the query out of " + candidates + " candidates");
        }
        int[] idx = new int[queries * keep];
        float[] sc = new float[queries * keep];
        for (int q = 0; q < queries; q++) {
            int out = 0;
            for (int r = 0; r < k && out < keep; r++) {
                if (indices[q * k + r] != q) {
                    idx[q * keep + out] = indices[q * k + r];
                    sc[q * keep + out] = scores[q * k + r];
                    out++;
                }
            }
            if (out < keep) {
                throw new IllegalArgumentException("neighbours: query " + q + " lists itself among its " + k
                        + " neighbours, leaving " + out + " < " + keep + "; search one neighbour deeper");
            }
        }
        return new Neighbours(queries, keep, candidates - 1, idx, sc, higherIsBetter);
    }

    /** The first {@code keep} neighbours of every query. */
    public Neighbours truncate(int keep) {
        if (keep < 0 || keep > k) {
            throw new IllegalArgumentException("neighbours: cannot keep " + keep + " of " + k + " neighbours");
        }
        int[] idx = new int[queries * keep];
        float[] sc = new float[queries * keep];
        for (int q = 0; q < queries; q++) {
            System.arraycopy(indices, q * k, idx, q * keep, keep);
            System.arraycopy(scores, q * k, sc, q * keep, keep);
        }
        return new Neighbours(queries, keep, candidates, idx, sc, higherIsBetter);
    }

    /**
     * Checks that every query has at least {@code needed} neighbours (or a full ranking when fewer candidates
     * exist); {@code metric} names the caller in the message.
     */
    public void requireDepth(String metric, int needed) {
        if (k < Math.min(needed, candidates)) {
            throw new IllegalArgumentException(metric + ": needs " + Math.min(needed, candidates)
                    + " neighbours per query, the rankings hold " + k + " (of " + candidates + " candidates)");
        }
    }
}
