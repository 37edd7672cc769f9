package org.unicom4j.spark.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FineClusterCountsTest {
    @Test
    void proportionalWithLargestRemainders() {
        // shares 10 * {50, 30, 20} / 100 = 5, 3, 2 exactly; then 7 over {60, 25, 15}: 4.2, 1.75, 1.05 -> 4, 2, 1
        assertArrayEquals(new int[] {5, 3, 2}, FineClusterCounts.split(new long[] {50, 30, 20}, 10));
        assertArrayEquals(new int[] {4, 2, 1}, FineClusterCounts.split(new long[] {60, 25, 15}, 7));
    }

    @Test
    void everyNonEmptyCellGetsOneAndNoCellMoreThanItsPoints() {
        // shares of 4 over {1000, 1, 1, 0}: 3.99, 0.004, 0.004, 0 -> minimums 3, 1, 1 = 5: the big cell gives one back
        assertArrayEquals(new int[] {2, 1, 1, 0}, FineClusterCounts.split(new long[] {1000, 1, 1, 0}, 4));
        // 6 over {2, 10}: 1, 5 -> the small cell is capped at its 2 points only if needed: 1 + 5 = 6
        assertArrayEquals(new int[] {1, 5}, FineClusterCounts.split(new long[] {2, 10}, 6));
        assertArrayEquals(new int[] {2, 10}, FineClusterCounts.split(new long[] {2, 10}, 12));
    }

    @Test
    void moreClustersThanPointsOrFewerThanCellsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FineClusterCounts.split(new long[] {2, 3}, 6));
        assertThrows(IllegalArgumentException.class, () -> FineClusterCounts.split(new long[] {2, 3, 4}, 2));
    }
}
