package org.unicom4j.retrieval.kmeans;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/** k distinct indices drawn uniformly from [0, n), sorted, by Floyd's algorithm (O(k) memory, no shuffle of n). */
public final class DistinctSample {
    private DistinctSample() {
    }

    /** k distinct indices of [0, n), ascending. */
    public static long[] draw(long n, int k, SplittableRandom random) {
        if (k > n) {
            throw new IllegalArgumentException("sample: cannot draw " + k + " distinct points from " + n);
        }
        Set<Long> chosen = new HashSet<>(2 * k);
        for (long j = n - k; j < n; j++) {
            long t = random.nextLong(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        return chosen.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
