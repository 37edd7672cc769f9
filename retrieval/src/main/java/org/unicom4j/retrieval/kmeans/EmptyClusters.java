package org.unicom4j.retrieval.kmeans;

import java.util.ArrayList;
import java.util.List;

/**
 * Which point re-seeds which empty cluster after an assignment pass: empty clusters in ascending order take the
 * farthest points first, skipping a point whose cluster would be left with no other point and a point at
 * distance 0; when no such point remains, the rest keep their previous centroid. Shared by {@link KMeans} and the
 * distributed k-means, so both re-seed alike.
 */
public final class EmptyClusters {
    /** Cluster {@code cluster} restarts at point {@code point}. */
    public record Reseed(int cluster, long point) {
    }

    private EmptyClusters() {
    }

    /**
     * @param counts        points per cluster in the pass just made
     * @param farthestFirst that pass's {@link FarthestPoints}, farthest first
     * @return one entry per re-seeded cluster, in ascending cluster order
     */
    public static List<Reseed> choose(long[] counts, FarthestPoints.Candidate[] farthestFirst) {
        long[] remaining = counts.clone();
        List<Reseed> out = new ArrayList<>();
        int cursor = 0;
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                continue;
            }
            while (cursor < farthestFirst.length && (remaining[farthestFirst[cursor].cluster()] <= 1
                    || farthestFirst[cursor].distance() <= 0)) {
                cursor++;
            }
            if (cursor == farthestFirst.length) {
                break;
            }
            FarthestPoints.Candidate taken = farthestFirst[cursor++];
            remaining[taken.cluster()]--;
            out.add(new Reseed(c, taken.point()));
        }
        return out;
    }

    /** The number of clusters with no point. */
    public static int countEmpty(long[] counts) {
        int empty = 0;
        for (long n : counts) {
            if (n == 0) {
                empty++;
            }
        }
        return empty;
    }
}
