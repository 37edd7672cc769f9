package org.unicom4j.retrieval.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.unicom4j.data.InvalidInputException;

/**
 * The deep-hashing evaluation protocol (SPQ, SSCQ, MeCoQ): every query ranks the whole database (distance, then the
 * lower database row), an item is relevant when it has the query's label, and the scores are mAP@K in the hashing
 * convention ({@link HashingMapAtK}; K = 1000 for CIFAR-10 and Fashion-MNIST), precision at the first N for a list
 * of N, and the precision-recall curve: at rank c, precision = hits / c and recall = hits / (relevant items in the
 * database), averaged over queries (a query with no relevant item counts 0). Queries are scored in parallel; sums
 * are taken in query order, so the result does not depend on the thread count.
 */
public final class HashingEvaluation {
    /** The hashing convention's K for single-label sets (CIFAR-10; used for Fashion-MNIST as well). */
    public static final int DEFAULT_MAP_DEPTH = 1000;
    /** Default N of the P@N list. */
    public static final int[] DEFAULT_PRECISION_CUTOFFS = {100, 500, 1000, 2000, 5000};

    private HashingEvaluation() {
    }

    /**
     * Ranks where the curve is sampled by default: 1, 2, 5, 10, 20, ... up to a tenth of the database (the
     * high-precision end), then every twentieth of it up to the whole database (recall 1).
     */
    public static int[] defaultCurveCutoffs(int databaseSize) {
        TreeSet<Integer> cuts = new TreeSet<>();
        for (long step = 1; step <= databaseSize / 10; step *= 10) {
            for (long f : new long[] {1, 2, 5}) {
                if (step * f <= databaseSize / 10) {
                    cuts.add((int) (step * f));
                }
            }
        }
        for (int i = 1; i <= 20; i++) {
            cuts.add(Math.max(1, (int) ((long) databaseSize * i / 20)));
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Scores {@code rows} with the default K, P@N list and curve ranks. */
    public static HashingScores evaluate(String name, DistanceRows rows, int[] queryLabels, int[] databaseLabels) {
        return evaluate(name, rows, queryLabels, databaseLabels, DEFAULT_MAP_DEPTH, DEFAULT_PRECISION_CUTOFFS,
                defaultCurveCutoffs(rows.databaseSize()));
    }

    /**
     * Scores {@code rows}: mAP@{@code mapDepth}, P@N for each N of {@code precisionCutoffs} and the curve at
     * {@code curveCutoffs} (ranks past the database count as the whole database).
     */
    public static HashingScores evaluate(String name, DistanceRows rows, int[] queryLabels, int[] databaseLabels,
                                         int mapDepth, int[] precisionCutoffs, int[] curveCutoffs) {
        int nq = rows.queries(), n = rows.databaseSize();
        if (queryLabels.length != nq || databaseLabels.length != n) {
            throw new InvalidInputException("hashing evaluation: " + queryLabels.length + " query labels for " + nq
                    + " queries and " + databaseLabels.length + " database labels for " + n + " items");
        }
        if (nq == 0 || n == 0) {
            throw new InvalidInputException("hashing evaluation: " + nq + " queries, " + n
                    + " database items; expected both");
        }
        if (mapDepth < 1 || Arrays.stream(precisionCutoffs).anyMatch(c -> c < 1)
                || Arrays.stream(curveCutoffs).anyMatch(c -> c < 1)) {
            throw new InvalidInputException("hashing evaluation: K = " + mapDepth + ", P@N for "
                    + Arrays.toString(precisionCutoffs) + "; every K and N must be at least 1");
        }
        Map<Integer, Integer> classSizes = new HashMap<>();
        for (int label : databaseLabels) {
            classSizes.merge(label, 1, Integer::sum);
        }
        int[] curve = curveCutoffs.clone();
        Arrays.sort(curve);
        double[] ap = new double[nq];
        double[][] precision = new double[nq][precisionCutoffs.length];
        double[][] curvePrecision = new double[nq][curve.length];
        double[][] curveRecall = new double[nq][curve.length];
        int block = Math.max(1, Math.min(rows.preferredBlock(), nq));
        float[] distances = new float[Math.multiplyExact(block, n)];
        ThreadLocal<QueryRanking> rankings = ThreadLocal.withInitial(() -> new QueryRanking(n));
        for (int first = 0; first < nq; first += block) {
            int count = Math.min(block, nq - first), base = first;
            rows.distances(first, count, distances);
            IntStream.range(0, count).parallel().forEach(r -> {
                int q = base + r;
                QueryRanking ranking = rankings.get();
                ranking.rank(distances, r * n, databaseLabels, queryLabels[q]);
                int relevant = classSizes.getOrDefault(queryLabels[q], 0);
                ap[q] = HashingMapAtK.averagePrecision(ranking.relevant, Math.min(mapDepth, n));
                for (int c = 0; c < precisionCutoffs.length; c++) {
                    int rank = Math.min(precisionCutoffs[c], n);
                    precision[q][c] = (double) ranking.hits[rank - 1] / rank;
                }
                for (int c = 0; c < curve.length; c++) {
                    int rank = Math.min(curve[c], n);
                    curvePrecision[q][c] = (double) ranking.hits[rank - 1] / rank;
                    curveRecall[q][c] = relevant == 0 ? 0 : (double) ranking.hits[rank - 1] / relevant;
                }
            });
        }
        return new HashingScores(name, mapDepth, mean(ap), precisionCutoffs.clone(), columnMeans(precision),
                curve, columnMeans(curvePrecision), columnMeans(curveRecall), nq, n);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double[] columnMeans(double[][] rows) {
        double[] out = new double[rows[0].length];
        for (double[] row : rows) {
            for (int c = 0; c < out.length; c++) {
                out[c] += row[c];
            }
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= rows.length;
        }
        return out;
    }

    /**
     * One query's full ranking (relevance by rank, hits up to each rank) in per-thread buffers. The sort is a stable
     * least-significant-digit radix sort of the rows by their distance's bits (three passes of 11, 11 and 10 bits),
     * the rows starting in ascending order, so equal distances keep the lower row first; about 4x less CPU than
     * sorting (distance, row) pairs with Arrays.sort at 60,000 rows.
     */
    private static final class QueryRanking {
        private static final int[] DIGIT_BITS = {11, 11, 10};
        final boolean[] relevant;
        final int[] hits;
        private int[] keys;
        private int[] rows;
        private int[] keysSwap;
        private int[] rowsSwap;
        private final int[] counts = new int[1 << 11];

        QueryRanking(int n) {
            relevant = new boolean[n];
            hits = new int[n];
            keys = new int[n];
            rows = new int[n];
            keysSwap = new int[n];
            rowsSwap = new int[n];
        }

        void rank(float[] distances, int from, int[] databaseLabels, int label) {
            int n = keys.length;
            for (int i = 0; i < n; i++) {
                // float bits made to order as unsigned ints: negatives flipped whole, positives get the sign bit
                // (+ 0f turns -0.0 into 0.0: equal distances must tie)
                int bits = Float.floatToIntBits(distances[from + i] + 0f);
                keys[i] = bits ^ ((bits >> 31) | 0x80000000);
                rows[i] = i;
            }
            int shift = 0;
            for (int digitBits : DIGIT_BITS) {
                int mask = (1 << digitBits) - 1;
                Arrays.fill(counts, 0);
                for (int i = 0; i < n; i++) {
                    counts[(keys[i] >>> shift) & mask]++;
                }
                for (int d = 0, sum = 0; d <= mask; d++) {
                    int c = counts[d];
                    counts[d] = sum;
                    sum += c;
                }
                for (int i = 0; i < n; i++) {
                    int at = counts[(keys[i] >>> shift) & mask]++;
                    keysSwap[at] = keys[i];
                    rowsSwap[at] = rows[i];
                }
                int[] t = keys;
                keys = keysSwap;
                keysSwap = t;
                t = rows;
                rows = rowsSwap;
                rowsSwap = t;
                shift += digitBits;
            }
            int h = 0;
            for (int j = 0; j < n; j++) {
                relevant[j] = databaseLabels[rows[j]] == label;
                h += relevant[j] ? 1 : 0;
                hits[j] = h;
            }
        }
    }
}
