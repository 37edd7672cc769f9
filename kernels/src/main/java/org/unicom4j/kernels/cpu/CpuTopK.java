package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Per-row top-k with a bounded binary heap of the k best entries seen so far (worst at the root), O(cols log k)
 * per row; the heap is then emptied worst-first into the output from the back, giving best-first order.
 * "Better" means a larger (or smaller) value, or an equal value at a lower column index.
 */
final class CpuTopK {
    private final ParallelLoop loop;

    CpuTopK(ParallelLoop loop) {
        this.loop = loop;
    }

    void topK(CpuFloats x, int rows, int cols, int k, boolean largest, CpuFloats values, CpuInts indices) {
        float[] xv = x.array(), vv = values.array();
        int[] iv = indices.array();
        int xo = x.offset(), vo = values.offset(), io = indices.offset();
        long work = (long) cols * (1 + 32 - Integer.numberOfLeadingZeros(k));
        loop.forRange(rows, work, (from, to) -> {
            float[] heapValues = new float[k];
            int[] heapIndices = new int[k];
            for (int r = from; r < to; r++) {
                selectRow(xv, xo + r * cols, cols, k, largest, heapValues, heapIndices);
                for (int out = k - 1; out >= 0; out--) {
                    vv[vo + r * k + out] = heapValues[0];
                    iv[io + r * k + out] = heapIndices[0];
                    int last = out;
                    heapValues[0] = heapValues[last];
                    heapIndices[0] = heapIndices[last];
                    siftDown(heapValues, heapIndices, 0, last, largest);
                }
            }
        });
    }

    /** Leaves the k best of the row in a heap with the worst of them at index 0. */
    private static void selectRow(float[] xv, int xr, int cols, int k, boolean largest, float[] hv, int[] hi) {
        for (int j = 0; j < k; j++) {
            hv[j] = xv[xr + j];
            hi[j] = j;
        }
        for (int j = k / 2 - 1; j >= 0; j--) {
            siftDown(hv, hi, j, k, largest);
        }
        int j = k;
        // Once the heap is warm almost no element beats its worst entry, so whole vectors are skipped with one
        // compare; only vectors holding a candidate go through the scalar path (which re-reads the threshold).
        for (int bound = k + loopBound(cols - k); j < bound; j += LANES) {
            FloatVector v = FloatVector.fromArray(SPECIES, xv, xr + j);
            boolean any = largest ? v.compare(VectorOperators.GT, hv[0]).anyTrue()
                    : v.compare(VectorOperators.LT, hv[0]).anyTrue();
            if (any) {
                for (int t = j; t < j + LANES; t++) {
                    offer(xv[xr + t], t, k, largest, hv, hi);
                }
            }
        }
        for (; j < cols; j++) {
            offer(xv[xr + j], j, k, largest, hv, hi);
        }
    }

    /** Replaces the heap's worst entry by (v, j) if v is strictly better (ties keep the lower index held). */
    private static void offer(float v, int j, int k, boolean largest, float[] hv, int[] hi) {
        if (largest ? v > hv[0] : v < hv[0]) {
            hv[0] = v;
            hi[0] = j;
            siftDown(hv, hi, 0, k, largest);
        }
    }

    /** True when entry a ranks below entry b. */
    private static boolean worse(float va, int ia, float vb, int ib, boolean largest) {
        if (va != vb) {
            return largest ? va < vb : va > vb;
        }
        return ia > ib;
    }

    private static void siftDown(float[] hv, int[] hi, int node, int size, boolean largest) {
        float v = hv[node];
        int idx = hi[node];
        while (true) {
            int child = 2 * node + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && worse(hv[child + 1], hi[child + 1], hv[child], hi[child], largest)) {
                child++;
            }
            if (!worse(hv[child], hi[child], v, idx, largest)) {
                break;
            }
            hv[node] = hv[child];
            hi[node] = hi[child];
            node = child;
        }
        hv[node] = v;
        hi[node] = idx;
    }
}
