package org.unicom4j.retrieval.kmeans;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.PointSource;
import org.unicom4j.retrieval.Vectors;

/**
 * Lloyd's k-means with the assignment step on a {@link Backend}. A run: seeded initialisation, then alternating
 * assignment passes ({@link AssignmentPass}) and updates, until {@link KMeansConfig#iterations()} updates are
 * done or a pass changes no label (a fixed point); the last pass's labels belong to the returned centroids.
 *
 * <p>The update sets each centroid to the mean of its points. A cluster left empty is re-seeded with the point
 * that was farthest from its centroid in the pass just made (distinct points, farthest first, lower index on
 * ties), skipping points whose cluster would be left with no other point and points at distance 0; if no such
 * point remains, the empty cluster keeps its previous centroid. The objective (sum of squared distances) cannot
 * increase from one pass to the next in exact arithmetic: means minimise it for fixed labels, a re-seeded
 * centroid had no points, and re-assignment only lowers it.
 */
public final class KMeans {
    private final Backend backend;
    private final KMeansConfig config;
    private final Consumer<String> progress;

    /** {@code progress} receives one line per pass (and periodic lines inside long passes). */
    public KMeans(Backend backend, KMeansConfig config, Consumer<String> progress) {
        this.backend = backend;
        this.config = config;
        this.progress = progress;
    }

    public KMeansResult fit(PointSource points) {
        long n = points.size();
        int k = config.k(), d = points.dim();
        if (n < k || n > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("k-means: " + n + " points for k = " + k
                    + "; expected k <= points < 2^31");
        }
        long t0 = System.nanoTime();
        Vectors centroids = InitialCentroids.choose(backend, config, n, rows -> PointRows.gather(points, rows));
        progress.accept(String.format("k-means: %,d points of dim %d, k = %,d, %s init in %.1f s on %s", n, d, k,
                config.init(), (System.nanoTime() - t0) / 1e9, backend.name()));
        int[] labels = new int[(int) n];
        Arrays.fill(labels, -1);
        LloydIterations.Outcome outcome = LloydIterations.run(new LloydIterations.Engine() {
            private AssignmentPass last;

            @Override
            public LloydIterations.Pass assign(Vectors c) {
                last = AssignmentPass.run(backend, points, c, config, labels, progress);
                return new LloydIterations.Pass(last.objective, last.changed);
            }

            @Override
            public Vectors update(Vectors c, int[] emptyAndReseeded) {
                return KMeans.update(points, c, last, emptyAndReseeded);
            }
        }, centroids, config.iterations(), n, progress);
        return new KMeansResult(outcome.centroids(), labels, outcome.objectives(), outcome.reseeded());
    }

    /**
     * New centroids from the pass's means, empty clusters re-seeded as the class comment describes; reports the
     * number of empty clusters and of those re-seeded in {@code emptyAndReseeded}.
     */
    private static Vectors update(PointSource points, Vectors old, AssignmentPass pass, int[] emptyAndReseeded) {
        int k = old.rows(), d = old.dim();
        float[] next = old.data().clone();
        long[] counts = new long[k];
        for (int c = 0; c < k; c++) {
            counts[c] = pass.means.count(c);
            if (counts[c] > 0) {
                pass.means.copyMean(c, next);
            }
        }
        List<EmptyClusters.Reseed> reseeds = EmptyClusters.choose(counts, pass.farthest.farthestFirst());
        float[] row = new float[d];
        for (EmptyClusters.Reseed r : reseeds) {
            points.read(r.point(), 1, row);
            System.arraycopy(row, 0, next, r.cluster() * d, d);
        }
        emptyAndReseeded[0] = EmptyClusters.countEmpty(counts);
        emptyAndReseeded[1] = reseeds.size();
        return new Vectors(next, k, d);
    }
}
