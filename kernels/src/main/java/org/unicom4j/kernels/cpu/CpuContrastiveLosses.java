package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.ContrastiveLossKernels;

/**
 * The two-view contrastive losses on the CPU (see {@link org.unicom4j.kernels.ContrastiveLosses}): rows (or
 * pairs of rows) in parallel, each row's exponentials computed once with {@link VectorExp} into its gradient row,
 * which the gradient then overwrites; each row's loss is kept and summed in row order afterwards, so the loss
 * repeats bit for bit on any thread count. One call at a time per instance (synchronized); arguments sit in fields
 * so the parallel bodies are allocated once.
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
            loop.forRange(items, 16L * rows, body);
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

    /**
     * ds row {@code out} = exp((S[r, j] - max) / t), 0 at columns skipA and skipB; returns log sum_j exp(S[r, j] / t)
     * over the other columns.
     */
    private double expRow(int r, int skipA, int skipB, float max, int out) {
        int base = so + r * rows;
        float invT = 1f / temperature;
        FloatVector shift = FloatVector.broadcast(SPECIES, -max), scale = FloatVector.broadcast(SPECIES, invT);
        int j = 0;
        for (int bound = loopBound(rows); j < bound; j += LANES) {
            VectorExp.exp(FloatVector.fromArray(SPECIES, s, base + j).add(shift).mul(scale)).intoArray(ds, out + j);
        }
        for (; j < rows; j++) {
            ds[out + j] = VectorExp.exp((s[base + j] - max) * invT);
        }
        ds[out + skipA] = 0;
        ds[out + skipB] = 0;
        return (double) max / temperature + Math.log(FloatLanes.sum(ds, out, rows));
    }

    /** ds[out..] *= factor (the exponentials become softmax terms times the gradient's scale). */
    private void scaleRow(int out, float factor) {
        FloatVector f = FloatVector.broadcast(SPECIES, factor);
        int j = 0;
        for (int bound = loopBound(rows); j < bound; j += LANES) {
            FloatVector.fromArray(SPECIES, ds, out + j).mul(f).intoArray(ds, out + j);
        }
        for (; j < rows; j++) {
            ds[out + j] *= factor;
        }
    }

    /** dS[r, j] = (softmax_j - [j = p(r)]) / (t rows). */
    private void ntXentRows(int from, int to) {
        double scale = 1.0 / ((double) temperature * rows);
        for (int r = from; r < to; r++) {
            int partner = r ^ 1, base = so + r * rows, out = dso + r * rows;
            float max = max(r, r, r);
            double lse = expRow(r, r, r, max, out);
            rowLoss[r] = lse - (double) s[base + partner] / temperature;
            double sum = Math.exp(lse - (double) max / temperature);
            scaleRow(out, (float) (scale / sum));
            ds[out + partner] -= (float) scale;
        }
    }

    /** Pair i = rows (2i, 2i + 1): see ReferenceContrastiveLosses for the gradient. */
    private void consistencyPairs(int from, int to) {
        int pairs = rows / 2;
        double scale = 1.0 / (2.0 * temperature * pairs);
        for (int i = from; i < to; i++) {
            int a = 2 * i, b = a + 1, baseA = so + a * rows, baseB = so + b * rows;
            int outA = dso + a * rows, outB = dso + b * rows;
            double lseA = expRow(a, a, b, max(a, a, b), outA), lseB = expRow(b, a, b, max(b, a, b), outB);
            double sumA = Math.exp(lseA - (double) max(a, a, b) / temperature);
            double sumB = Math.exp(lseB - (double) max(b, a, b) / temperature);
            double klPQ = 0, klQP = 0;
            for (int j = 0; j < rows; j++) {
                if (j != a && j != b) {
                    double p = ds[outA + j] / sumA, q = ds[outB + j] / sumB;
                    double d = ((double) s[baseA + j] - s[baseB + j]) / temperature - lseA + lseB;
                    klPQ += p * d;
                    klQP -= q * d;
                }
            }
            rowLoss[i] = (klPQ + klQP) / 2;
            for (int j = 0; j < rows; j++) {
                double ga = 0, gb = 0;
                if (j != a && j != b) {
                    double p = ds[outA + j] / sumA, q = ds[outB + j] / sumB;
                    double d = ((double) s[baseA + j] - s[baseB + j]) / temperature - lseA + lseB;
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
            int self = r % rows, out = dso + r * rows;
            int first = r * neighbours, last = selectNeighbours(r, self, so + r * rows);
            float max = topValues[first];
            double lseAll = expRow(r, self, self, max, out);
            double topSum = 0;
            for (int n = first; n <= last; n++) {
                topSum += ds[out + topColumns[n]];
            }
            double sumAll = Math.exp(lseAll - (double) max / temperature);
            rowLoss[r] = Math.log(sumAll) - Math.log(topSum);
            scaleRow(out, (float) (scale / sumAll));
            for (int n = first; n <= last; n++) {
                int j = out + topColumns[n];
                // ds holds e_j scale / sumAll; e_j = ds * sumAll / scale
                ds[j] = (float) (ds[j] - ds[j] * sumAll / topSum);
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
