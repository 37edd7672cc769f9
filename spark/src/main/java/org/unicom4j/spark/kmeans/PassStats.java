package org.unicom4j.spark.kmeans;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import org.unicom4j.retrieval.kmeans.FarthestPoints;
import org.unicom4j.spark.points.PointBlock;

/**
 * What one assignment pass adds up over a partition, and over all of them once merged: per-cluster sums (double)
 * and counts, the objective, the labels changed, and the candidates for re-seeding empty clusters (the points
 * farthest from their centroid, by position). Merging partitions in partition order gives the same bits on every
 * run, however Spark schedules the tasks.
 */
final class PassStats implements Serializable {
    final int k;
    final int dim;
    /** Re-seed candidates kept: min(rows, 2k) over all rows, as KMeans keeps. */
    final int capacity;
    final double[] sums;
    final long[] counts;
    double objective;
    long changed;
    /** Re-seed candidates, ascending by position (so merged partitions are offered in position order). */
    float[] candidateDistances;
    long[] candidatePositions;
    int[] candidateClusters;

    private PassStats(int k, int dim, int capacity) {
        this.k = k;
        this.dim = dim;
        this.capacity = capacity;
        this.sums = new double[Math.multiplyExact(k, dim)];
        this.counts = new long[k];
    }

    /** The stats of one partition whose first row has position {@code start}. */
    static PassStats ofPartition(Iterator<PointBlock> blocks, Iterator<BlockAssignment> assigned, long start, int k,
                                 int dim, int capacity) {
        PassStats s = new PassStats(k, dim, capacity);
        FarthestPoints farthest = new FarthestPoints(capacity);
        long position = start;
        while (blocks.hasNext()) {
            PointBlock b = blocks.next();
            BlockAssignment a = assigned.next();
            float[] x = b.data();
            for (int i = 0; i < b.rows(); i++) {
                int c = a.labels()[i];
                s.counts[c]++;
                s.objective += a.distances()[i];
                int base = c * dim, row = i * dim;
                for (int j = 0; j < dim; j++) {
                    s.sums[base + j] += x[row + j];
                }
                farthest.offer(a.distances()[i], position + i, c);
            }
            s.changed += a.changed();
            position += b.rows();
        }
        s.keepCandidates(farthest.farthestFirst());
        return s;
    }

    /** Adds {@code next}, a later partition (or group of partitions), to this one. */
    PassStats merge(PassStats next) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += next.sums[i];
        }
        for (int c = 0; c < k; c++) {
            counts[c] += next.counts[c];
        }
        objective += next.objective;
        changed += next.changed;
        FarthestPoints farthest = new FarthestPoints(capacity);
        offerAll(farthest);
        next.offerAll(farthest);
        keepCandidates(farthest.farthestFirst());
        return this;
    }

    /** The candidates, farthest first: over all partitions once merged, what KMeans's FarthestPoints holds. */
    FarthestPoints.Candidate[] farthestFirst() {
        FarthestPoints farthest = new FarthestPoints(capacity);
        offerAll(farthest);
        return farthest.farthestFirst();
    }

    private void offerAll(FarthestPoints farthest) {
        for (int i = 0; i < candidatePositions.length; i++) {
            farthest.offer(candidateDistances[i], candidatePositions[i], candidateClusters[i]);
        }
    }

    private void keepCandidates(FarthestPoints.Candidate[] farthestFirst) {
        FarthestPoints.Candidate[] byPosition = farthestFirst.clone();
        Arrays.sort(byPosition, (a, b) -> Long.compare(a.point(), b.point()));
        candidateDistances = new float[byPosition.length];
        candidatePositions = new long[byPosition.length];
        candidateClusters = new int[byPosition.length];
        for (int i = 0; i < byPosition.length; i++) {
            candidateDistances[i] = byPosition[i].distance();
            candidatePositions[i] = byPosition[i].point();
            candidateClusters[i] = byPosition[i].cluster();
        }
    }

    /** Cluster c's mean (sum / count in double, rounded once) into {@code dst[c * dim ..]}; c must have points. */
    void copyMean(int c, float[] dst) {
        double inv = 1.0 / counts[c];
        for (int j = 0; j < dim; j++) {
            dst[c * dim + j] = (float) (sums[c * dim + j] * inv);
        }
    }
}
