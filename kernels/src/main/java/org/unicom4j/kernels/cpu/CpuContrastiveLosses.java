package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.ContrastiveLossKernels;

/**
 * The two-view contrastive losses on the CPU (see {@link org.unicom4j.kernels.ContrastiveLosses}): rows (or
 * pairs of rows) in parallel, each row's loss kept and summed in row order afterwards, so the loss repeats bit for
 * bit on any thread count. One call at a time per instance (synchronized); arguments sit in fields so the
 * parallel bodies are allocated once.
 */
final class CpuContrastiveLosses implements ContrastiveLossKernels {
    private final ParallelLoop loop;
    private final ParallelLoop.Range ntXentRows = this::ntXentRows;
    private final ParallelLoop.Range consistencyPairs = this::consistencyPairs;
    private final ParallelLoop.Range neighbourRows = this::neighbourRows;
    private double[] rowLoss = new double[0];
    /** The neighbours of each row, best first: similarity and column. */
    private float[] topValues = new float[0];
    private int[] topColumns = new int[0];

    // The running call (read by the parallel bodies).
    private float[] s, ds;
    private int so, dso, rows, matrices, neighbours;
    private float temperature;

    CpuContrastiveLosses(ParallelLoop loop) {
        this.loop = loop;
    }

    @Override
    public synchronized float ntXent(DeviceFloats similarities, int rows, float temperature,
                                     DeviceFloats dSimilarities) {
        bind(similarities, rows, temperature, dSimilarities, rows);
        return run(rows, ntXentRows, rows);
    }

    @Override
    public synchronized float viewConsistency(DeviceFloats similarities, int rows, float temperature,
                                              DeviceFloats dSimilarities) {
        bind(similarities, rows, temperature, dSimilarities, rows / 2);
        return run(rows / 2, consistencyPairs, rows / 2);
    }

    @Override
    public synchronized float neighbourConsistency(DeviceFloats similarities, int rows, int matrices,
                                                   int neighbours, float temperature, DeviceFloats dSimilarities) {
        int all = rows * matrices;
        bind(similarities, rows, temperature, dSimilarities, all);
        this.matrices = matrices;
        this.neighbours = neighbours;
        if (topValues.length < all * neighbours) {
            topValues = new float[all * neighbours];
            topColumns = new int[all * neighbours];
        }
        return run(all, neighbourRows, all);
    }

    private void bind(DeviceFloats similarities, int rows, float temperature, DeviceFloats dSimilarities,
                      int losses) {
        CpuFloats sf = (CpuFloats) similarities, dsf = (CpuFloats) dSimilarities;
        s = sf.array();
        so = sf.offset();
        ds = dsf.array();
        dso = dsf.offset();
        this.rows = rows;
        this.temperature = temperature;
        if (rowLoss.length < losses) {
            rowLoss = new double[losses];
        }
    }

    /** Runs {@code body} over [0, items) and returns the mean of the first {@code losses} row losses. */
    private float run(int items, ParallelLoop.Range body, int losses) {
        try {
            loop.forRange(items, 12L * rows, body);
        } finally {
            s = ds = null;
        }
        double total = 0;
        for (int r = 0; r < losses; r++) {
            total += rowLoss[r];
        }
        return (float) (total / losses);
    }

    /** The largest S[r, j] over j outside {skipA, skipB}. */
    private float max(int r, int skipA, int skipB) {
        float best = Float.NEGATIVE_INFINITY;
        int base = so + r * rows;
        for (int j = 0; j < rows; j++) {
            if (j != skipA && j != skipB) {
                best = Math.max(best, s[base + j]);
            }
        }
        return best;
    }

    /** log sum_j exp(S[r, j] / t) over j outside {skipA, skipB}, with max the largest of them. */
    private double logSumExp(int r, int skipA, int skipB, float max) {
        int base = so + r * rows;
        double sum = 0;
        for (int j = 0; j < rows; j++) {
            if (j != skipA && j != skipB) {
                sum += Math.exp((s[base + j] - max) / temperature);
            }
        }
        return max / temperature + Math.log(sum);
    }

    private void ntXentRows(int from, int to) {
        double scale = 1.0 / ((double) temperature * rows);
        for (int r = from; r < to; r++) {
            int partner = r ^ 1, base = so + r * rows, out = dso + r * rows;
            double lse = logSumExp(r, r, r, max(r, r, r));
            rowLoss[r] = lse - s[base + partner] / temperature;
            for (int j = 0; j < rows; j++) {
                double p = j == r ? 0 : Math.exp(s[base + j] / temperature - lse);
                ds[out + j] = (float) ((p - (j == partner ? 1 : 0)) * scale);
            }
        }
    }

    /** Pair i = rows (2i, 2i + 1): see ReferenceContrastiveLosses for the gradient. */
    private void consistencyPairs(int from, int to) {
        int pairs = rows / 2;
        double scale = 1.0 / (2.0 * temperature * pairs);
        for (int i = from; i < to; i++) {
            int a = 2 * i, b = a + 1, baseA = so + a * rows, baseB = so + b * rows;
            double lseA = logSumExp(a, a, b, max(a, a, b)), lseB = logSumExp(b, a, b, max(b, a, b));
            double klPQ = 0, klQP = 0;
            for (int j = 0; j < rows; j++) {
                if (j != a && j != b) {
                    double logP = s[baseA + j] / temperature - lseA, logQ = s[baseB + j] / temperature - lseB;
                    klPQ += Math.exp(logP) * (logP - logQ);
                    klQP += Math.exp(logQ) * (logQ - logP);
                }
            }
            rowLoss[i] = (klPQ + klQP) / 2;
            int outA = dso + a * rows, outB = dso + b * rows;
            for (int j = 0; j < rows; j++) {
                double ga = 0, gb = 0;
                if (j != a && j != b) {
                    double logP = s[baseA + j] / temperature - lseA, logQ = s[baseB + j] / temperature - lseB;
                    double p = Math.exp(logP), q = Math.exp(logQ), d = logP - logQ;
                    ga = p * (d - klPQ) + p - q;
                    gb = q * (-d - klQP) + q - p;
                }
                ds[outA + j] = (float) (ga * scale);
                ds[outB + j] = (float) (gb * scale);
            }
        }
    }

    /** Row r of matrix r / rows: its neighbours by insertion into a sorted list, then the loss and gradient. */
    private void neighbourRows(int from, int to) {
        double scale = 1.0 / ((double) temperature * rows * matrices);
        for (int r = from; r < to; r++) {
            int self = r % rows, base = so + r * rows, out = dso + r * rows;
            int kth = selectNeighbours(r, self, base);
            float kthValue = topValues[kth];
            int kthColumn = topColumns[kth];
            float max = topValues[r * neighbours];
            double lseAll = logSumExp(r, self, self, max);
            double topSum = 0;
            for (int n = r * neighbours; n <= kth; n++) {
                topSum += Math.exp((topValues[n] - max) / temperature);
            }
            double lseTop = max / temperature + Math.log(topSum);
            rowLoss[r] = lseAll - lseTop;
            for (int j = 0; j < rows; j++) {
                double g = 0;
                if (j != self) {
                    float v = s[base + j];
                    double e = v / temperature;
                    boolean top = v > kthValue || (v == kthValue && j <= kthColumn);
                    g = Math.exp(e - lseAll) - (top ? Math.exp(e - lseTop) : 0);
                }
                ds[out + j] = (float) (g * scale);
            }
        }
    }

    /**
     * Fills row r's slots of topValues/topColumns with its {@code neighbours} largest entries (j != self), best
     * first and the lower column first among equals; returns the slot of the last.
     */
    private int selectNeighbours(int r, int self, int base) {
        int first = r * neighbours, count = 0;
        for (int j = 0; j < rows; j++) {
            if (j == self) {
                continue;
            }
            float v = s[base + j];
            if (count == neighbours && !(v > topValues[first + count - 1])) {
                continue; // not above the current last (an equal value has a higher column)
            }
            int at = Math.min(count, neighbours - 1);
            while (at > 0 && v > topValues[first + at - 1]) {
                topValues[first + at] = topValues[first + at - 1];
                topColumns[first + at] = topColumns[first + at - 1];
                at--;
            }
            topValues[first + at] = v;
            topColumns[first + at] = j;
            count = Math.min(count + 1, neighbours);
        }
        return first + neighbours - 1;
    }
}
