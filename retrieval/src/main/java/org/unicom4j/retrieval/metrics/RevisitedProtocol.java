package org.unicom4j.retrieval.metrics;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The three evaluation setups of revisited Oxford/Paris: which labelled images count as positives and which are
 * junk (removed from the ranking before scoring), following the revisitop evaluation code.
 */
public enum RevisitedProtocol {
    /** Positives: easy; junk: junk + hard. */
    EASY,
    /** Positives: easy + hard; junk: junk. */
    MEDIUM,
    /** Positives: hard; junk: junk + easy. */
    HARD;

    public int[] positives(RevisitedQuery q) {
        return switch (this) {
            case EASY -> q.easy();
            case MEDIUM -> concat(q.easy(), q.hard());
            case HARD -> q.hard();
        };
    }

    public int[] junk(RevisitedQuery q) {
        return switch (this) {
            case EASY -> concat(q.junk(), q.hard());
            case MEDIUM -> q.junk();
            case HARD -> concat(q.junk(), q.easy());
        };
    }

    private static int[] concat(int[] a, int[] b) {
        return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }
}
