package org.unicom4j.retrieval.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmallestKTest {

    /** Against a full sort by (distance, id), with many ties and k below, at and above the offer count. */
    @Test
    void keepsTheKSmallestByDistanceThenIdWhateverTheOrder() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n : new int[] {1, 3, 17, 129, 1000}) {
            for (int k : new int[] {1, 5, 17, 200}) {
                float[] d = new float[n];
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) {
                    d[i] = random.nextInt(20);
                    order[i] = i;
                }
                Integer[] offered = order.clone();
                for (int i = n - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    Integer t = offered[i];
                    offered[i] = offered[j];
                    offered[j] = t;
                }
                SmallestK heap = new SmallestK(k);
                for (int i : offered) {
                    heap.offer(d[i], i);
                }
                Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> d[i]).thenComparingInt(i -> i));
                int[] wantIds = new int[k];
                float[] wantDist = new float[k];
                for (int r = 0; r < k; r++) {
                    wantIds[r] = r < n ? order[r] : -1;
                    wantDist[r] = r < n ? d[order[r]] : Float.POSITIVE_INFINITY;
                }
                int[] ids = new int[k + 2];
                float[] dist = new float[k + 2];
                heap.drainSorted(ids, dist, 2);
                assertArrayEquals(wantIds, Arrays.copyOfRange(ids, 2, k + 2), "n = " + n + ", k = " + k);
                assertArrayEquals(wantDist, Arrays.copyOfRange(dist, 2, k + 2), "n = " + n + ", k = " + k);
            }
        }
    }
}
