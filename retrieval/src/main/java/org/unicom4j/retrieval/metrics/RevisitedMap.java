package org.unicom4j.retrieval.metrics;

import java.util.Arrays;
import java.util.List;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Neighbours;

/**
 * Mean average precision of revisited Oxford/Paris (Radenovic et al. 2018), computed as the revisitop code's
 * {@code compute_map} does: junk images are taken out of each ranking, and AP is the trapezoid rule over the
 * recall steps, each positive at (0-based, junk-free) rank r, being the j-th positive found (0-based), adding
 * (P_before + P_at) / (2 * #positives) with P_before = j / r (1 when r = 0) and P_at = (j + 1) / (r + 1).
 * Queries without positives are left out of the mean. The rankings should be full; a positive beyond a truncated
 * ranking counts as never retrieved.
 */
public final class RevisitedMap {
    private RevisitedMap() {
    }

    /** mAP over the queries (a fraction; papers print it times 100). */
    public static double compute(Neighbours rankings, List<RevisitedQuery> groundTruth, RevisitedProtocol protocol) {
        if (rankings.queries() != groundTruth.size()) {
            throw new IllegalArgumentException("revisited mAP: rankings hold " + rankings.queries()
                    + " queries, the ground truth " + groundTruth.size());
        }
        double sum = 0;
        int counted = 0;
        for (int q = 0; q < rankings.queries(); q++) {
            RevisitedQuery gt = groundTruth.get(q);
            int[] positives = protocol.positives(gt);
            if (positives.length == 0) {
                continue;
            }
            sum += averagePrecision(rankings.ranking(q), positives, protocol.junk(gt));
            counted++;
        }
        if (counted == 0) {
            throw new InvalidInputException("revisited mAP: no query has a positive under " + protocol);
        }
        return sum / counted;
    }

    /** AP of one ranking (database indices, best first) given its positives and junk. */
    public static double averagePrecision(int[] ranking, int[] positives, int[] junk) {
        int[] pos = sorted(positives);
        int[] jnk = sorted(junk);
        double ap = 0;
        double recallStep = 1.0 / positives.length;
        int found = 0, junkSeen = 0;
        for (int position = 0; position < ranking.length; position++) {
            int item = ranking[position];
            // revisitop finds positives first and shifts each by the junk ranked above it, so an item listed
            // as both counts as a positive; it also shifts the ranks of later items as junk.
            boolean isPositive = Arrays.binarySearch(pos, item) >= 0;
            if (isPositive) {
                int rank = position - junkSeen;
                double before = rank == 0 ? 1.0 : (double) found / rank;
                double at = (double) (found + 1) / (rank + 1);
                ap += (before + at) * recallStep / 2;
                found++;
            }
            if (Arrays.binarySearch(jnk, item) >= 0) {
                junkSeen++;
            }
        }
        return ap;
    }

    private static int[] sorted(int[] values) {
        int[] s = values.clone();
        Arrays.sort(s);
        return s;
    }
}
