package org.unicom4j.retrieval.index;

/**
 * The k smallest (distance, id) pairs offered so far, in a bounded max-heap whose root is the worst kept pair;
 * "smaller" is a smaller distance, or an equal distance with a lower id, so results do not depend on the order
 * candidates are offered in. Reusable: {@link #clear()} between queries.
 */
final class SmallestK {
    private final int k;
    private final float[] dist;
    private final int[] ids;
    private int size;

    SmallestK(int k) {
        this.k = k;
        this.dist = new float[k];
        this.ids = new int[k];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The k this heap keeps. */
    int capacity() {
        return k;
    }

    /** The distance a candidate must beat to enter once k are held (+inf before that). */
    float bound() {
        return size < k ? Float.POSITIVE_INFINITY : dist[0];
    }

    void offer(float d, int id) {
        if (size < k) {
            int node = size++;
            dist[node] = d;
            ids[node] = id;
            while (node > 0) {
                int parent = (node - 1) >>> 1;
                if (!worse(dist[node], ids[node], dist[parent], ids[parent])) {
                    break;
                }
                swap(node, parent);
                node = parent;
            }
        } else if (worse(dist[0], ids[0], d, id)) {
            dist[0] = d;
            ids[0] = id;
            siftDownRoot();
        }
    }

    /**
     * Writes the held pairs best first into {@code outIds[offset ..]} and {@code outDist[offset ..]}, then pads up
     * to k entries with id -1 and distance +inf; empties the heap.
     */
    void drainSorted(int[] outIds, float[] outDist, int offset) {
        for (int r = size; r < k; r++) {
            outIds[offset + r] = -1;
            outDist[offset + r] = Float.POSITIVE_INFINITY;
        }
        int n = size;
        for (int r = n - 1; r >= 0; r--) {
            outIds[offset + r] = ids[0];
            outDist[offset + r] = dist[0];
            // remove the root: move the last leaf up and sift it down
            size--;
            dist[0] = dist[size];
            ids[0] = ids[size];
            siftDownRoot();
        }
    }

    /** Restores the heap after the root was replaced: moves it down below every worse child. */
    private void siftDownRoot() {
        int node = 0;
        while (true) {
            int child = 2 * node + 1;
            if (child >= size) {
                return;
            }
            if (child + 1 < size && worse(dist[child + 1], ids[child + 1], dist[child], ids[child])) {
                child++;
            }
            if (!worse(dist[child], ids[child], dist[node], ids[node])) {
                return;
            }
            swap(node, child);
            node = child;
        }
    }

    private static boolean worse(float da, int ia, float db, int ib) {
        return da > db || (da == db && ia > ib);
    }

    private void swap(int a, int b) {
        float d = dist[a];
        dist[a] = dist[b];
        dist[b] = d;
        int i = ids[a];
        ids[a] = ids[b];
        ids[b] = i;
    }
}
