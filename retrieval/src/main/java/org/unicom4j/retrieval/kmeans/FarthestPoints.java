package org.unicom4j.retrieval.kmeans;

import java.util.PriorityQueue;

/**
 * The {@code capacity} points farthest from their assigned centroid in one assignment pass (farthest first, the
 * lower point index on ties): the candidates that re-seed empty clusters.
 */
public final class FarthestPoints {
    /** A point, its cluster and its distance to that cluster's centroid. */
    public record Candidate(float distance, long point, int cluster) {
    }

    private final int capacity;
    /** Worst (nearest) candidate at the head. */
    private final PriorityQueue<Candidate> heap;

    public FarthestPoints(int capacity) {
        this.capacity = capacity;
        this.heap = new PriorityQueue<>(Math.max(1, capacity), FarthestPoints::compareNearestFirst);
    }

    private static int compareNearestFirst(Candidate a, Candidate b) {
        int byDistance = Float.compare(a.distance, b.distance);
        return byDistance != 0 ? byDistance : Long.compare(b.point, a.point);
    }

    public void offer(float distance, long point, int cluster) {
        if (capacity == 0) {
            return;
        }
        if (heap.size() < capacity) {
            heap.add(new Candidate(distance, point, cluster));
        } else {
            Candidate worst = heap.peek();
            if (distance > worst.distance) { // a later point needs a strictly larger distance: ties keep lower index
                heap.poll();
                heap.add(new Candidate(distance, point, cluster));
            }
        }
    }

    /** The candidates, farthest first. */
    public Candidate[] farthestFirst() {
        Candidate[] out = heap.toArray(new Candidate[0]);
        java.util.Arrays.sort(out, (a, b) -> compareNearestFirst(b, a));
        return out;
    }
}
