package org.unicom4j.retrieval.kmeans;

import java.util.function.Consumer;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.PointSource;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.FlatIndex;
import org.unicom4j.retrieval.index.Similarity;

/**
 * One pass over the points: each point goes to its nearest centroid (squared L2, ties to the lower centroid
 * index) through a {@link FlatIndex} over the centroids, so the work is GEMMs of point batches against centroid
 * chunks with the running best kept across chunks. Along the way it sums the objective, counts changed labels,
 * accumulates the new cluster means and remembers the farthest points.
 */
final class AssignmentPass {
    /** Seconds between progress lines inside a long pass. */
    private static final double PROGRESS_SECONDS = 10;

    double objective;
    long changed;
    ClusterMeans means;
    FarthestPoints farthest;

    private AssignmentPass() {
    }

    /** Assigns every point of {@code points} to {@code centroids}, overwriting {@code labels}. */
    static AssignmentPass run(Backend backend, PointSource points, Vectors centroids, KMeansConfig config,
                              int[] labels, Consumer<String> progress) {
        AssignmentPass pass = new AssignmentPass();
        int k = centroids.rows(), d = centroids.dim();
        long n = points.size();
        pass.means = new ClusterMeans(k, d);
        pass.farthest = new FarthestPoints((int) Math.min(n, 2L * k));
        long start = System.nanoTime(), lastReport = start;
        try (FlatIndex index = new FlatIndex(backend, d, Similarity.SQUARED_L2, Math.min(config.centroidChunk(), k),
                config.queryBatch())) {
            index.add(centroids);
            float[] chunk = new float[Math.multiplyExact(config.pointChunk(), d)];
            for (long first = 0; first < n; first += config.pointChunk()) {
                int count = (int) Math.min(config.pointChunk(), n - first);
                float[] data = count == config.pointChunk() ? chunk : new float[count * d];
                points.read(first, count, data);
                Neighbours nearest = index.search(new Vectors(data, count, d), 1);
                for (int i = 0; i < count; i++) {
                    long p = first + i;
                    int c = nearest.index(i, 0);
                    float dist = nearest.score(i, 0);
                    pass.objective += dist;
                    if (labels[(int) p] != c) {
                        pass.changed++;
                        labels[(int) p] = c;
                    }
                    pass.means.add(c, data, i * d);
                    pass.farthest.offer(dist, p, c);
                }
                long now = System.nanoTime();
                if ((now - lastReport) / 1e9 >= PROGRESS_SECONDS && first + count < n) {
                    lastReport = now;
                    double seconds = (now - start) / 1e9, rate = (first + count) / seconds;
                    progress.accept(String.format("  assigned %,d / %,d points, %.0f points/s, ETA %.0f s",
                            first + count, n, rate, (n - first - count) / rate));
                }
            }
        }
        return pass;
    }
}
