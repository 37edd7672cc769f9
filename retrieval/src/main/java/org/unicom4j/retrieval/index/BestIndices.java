package org.unicom4j.retrieval.index;

/**
 * Selects the k best entries of a score array, best first, with a bounded heap that holds the worst of the k at
 * its root: O(n log k). "Better" is a larger (or smaller) score, or an equal score at a lower index.
 */
final class BestIndices {
    private BestIndices() {
    }

    static int[] select(double[] scores, int k, boolean larger) {
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, scores, larger);
            } else if (better(scores, i, heap[0], larger)) {
                heap[0] = i;
                siftDown(heap, k, scores, larger);
            }
        }
        int[] out = new int[size];
        for (int r = size - 1; r >= 0; r--) {
            out[r] = heap[0];
            heap[0] = heap[r];
            siftDown(heap, r, scores, larger);
        }
        return out;
    }

    private static boolean better(double[] s, int a, int b, boolean larger) {
        if (s[a] != s[b]) {
            return larger ? s[a] > s[b] : s[a] < s[b];
        }
        return a < b;
    }

    private static void siftUp(int[] heap, int node, double[] s, boolean larger) {
        while (node > 0) {
            int parent = (node - 1) / 2;
            if (!better(s, heap[parent], heap[node], larger)) {
                break;
            }
            int t = heap[parent];
            heap[parent] = heap[node];
            heap[node] = t;
            node = parent;
        }
    }

    private static void siftDown(int[] heap, int size, double[] s, boolean larger) {
        int node = 0;
        while (true) {
            int child = 2 * node + 1;
            if (child >= size) {
                return;
            }
            if (child + 1 < size && better(s, heap[child], heap[child + 1], larger)) {
                child++;
            }
            if (!better(s, heap[node], heap[child], larger)) {
                return;
            }
            int t = heap[node];
            heap[node] = heap[child];
            heap[child] = t;
            node = child;
        }
    }
}
