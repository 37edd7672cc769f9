package org.unicom4j.spark.kmeans;

/**
 * How many fine clusters each coarse cell gets in the two-level k-means: K split in proportion to the cells' sizes
 * (largest remainders first), every non-empty cell at least one, no cell more than it has points.
 */
final class FineClusterCounts {
    private FineClusterCounts() {
    }

    /** @return k[c] for cells of {@code sizes} points, summing to {@code total} (which must not exceed the points) */
    static int[] split(long[] sizes, int total) {
        long n = 0;
        int nonEmpty = 0;
        for (long s : sizes) {
            n += s;
            nonEmpty += s > 0 ? 1 : 0;
        }
        if (total > n || total < nonEmpty) {
            throw new IllegalArgumentException("two-level k-means: " + total + " clusters over " + nonEmpty
                    + " non-empty cells of " + n + " points; expected cells <= clusters <= points");
        }
        int[] k = new int[sizes.length];
        double[] remainder = new double[sizes.length];
        int given = 0;
        for (int c = 0; c < sizes.length; c++) {
            double share = (double) total * sizes[c] / n;
            k[c] = (int) Math.min(sizes[c], Math.max(sizes[c] > 0 ? 1 : 0, Math.floor(share)));
            remainder[c] = share - k[c];
            given += k[c];
        }
        while (given < total) { // the largest remainder among cells with room takes one more
            int best = -1;
            for (int c = 0; c < sizes.length; c++) {
                if (k[c] < sizes[c] && (best < 0 || remainder[c] > remainder[best])) {
                    best = c;
                }
            }
            k[best]++;
            remainder[best] -= 1;
            given++;
        }
        while (given > total) { // minimums pushed past total: the smallest remainder with more than one gives one
            int best = -1;
            for (int c = 0; c < sizes.length; c++) {
                if (k[c] > 1 && (best < 0 || remainder[c] < remainder[best])) {
                    best = c;
                }
            }
            k[best]--;
            remainder[best] += 1;
            given--;
        }
        return k;
    }
}
