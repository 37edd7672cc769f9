package org.unicom4j.spark.kmeans;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.FlatIndex;
import org.unicom4j.retrieval.index.Similarity;
import org.unicom4j.spark.ExecutorBackends;
import org.unicom4j.spark.InjectedFailure;
import org.unicom4j.spark.points.PointBlock;

/**
 * The assignment step on an executor: every row of a partition to its nearest centroid (squared L2, ties to the
 * lower index) with the same {@link FlatIndex} search the single-machine KMeans uses, on a backend borrowed from
 * {@link ExecutorBackends}.
 */
final class AssignTask {
    static final String STEP = "kmeans-assign";

    private AssignTask() {
    }

    static Iterator<BlockAssignment> run(Iterator<PointBlock> blocks, Iterator<BlockAssignment> previous,
                                         Vectors centroids, String backend, int centroidChunk,
                                         int queryBatch) {
        List<BlockAssignment> out = new ArrayList<>();
        try (ExecutorBackends.Lease lease = ExecutorBackends.borrow(backend);
             FlatIndex index = new FlatIndex(lease.backend(), centroids.dim(), Similarity.SQUARED_L2,
                     Math.min(centroidChunk, centroids.rows()), queryBatch)) {
            index.add(centroids);
            while (blocks.hasNext()) {
                PointBlock b = blocks.next();
                int[] before = previous.next().labels();
                Neighbours nearest = index.search(b.vectors(), 1);
                int[] labels = new int[b.rows()];
                float[] distances = new float[b.rows()];
                long changed = 0;
                for (int i = 0; i < b.rows(); i++) {
                    labels[i] = nearest.index(i, 0);
                    distances[i] = nearest.score(i, 0);
                    if (labels[i] != before[i]) {
                        changed++;
                    }
                }
                out.add(new BlockAssignment(labels, distances, changed));
                InjectedFailure.maybeThrow(STEP);
            }
        }
        return out.iterator();
    }
}
