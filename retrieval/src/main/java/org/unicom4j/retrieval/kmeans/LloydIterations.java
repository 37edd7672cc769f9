package org.unicom4j.retrieval.kmeans;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.unicom4j.retrieval.Vectors;

/**
 * Lloyd's loop, whatever runs the passes: assignment passes and updates alternate until {@code iterations} updates
 * are done or a pass changes no label (after an update that re-seeded nothing), with one progress line per pass.
 * {@link KMeans} runs it in this JVM, the spark module's distributed k-means on a cluster, so both stop alike.
 */
public final class LloydIterations {
    /** One engine's passes over all points. */
    public interface Engine {
        /** Assigns every point to its nearest of {@code centroids}, remembering what {@link #update} needs. */
        Pass assign(Vectors centroids);

        /**
         * The next centroids from the last pass (means, empty clusters re-seeded); reports the number of empty
         * clusters and of those re-seeded in {@code emptyAndReseeded}.
         */
        Vectors update(Vectors centroids, int[] emptyAndReseeded);
    }

    /** What a pass found: the sum of squared distances and how many labels it changed. */
    public record Pass(double objective, long changed) {
    }

    /** The final centroids (those of the last pass), the objective of every pass and the re-seeds of every update. */
    public record Outcome(Vectors centroids, double[] objectives, int[] reseeded) {
    }

    private LloydIterations() {
    }

    public static Outcome run(Engine engine, Vectors initial, int iterations, long points, Consumer<String> progress) {
        Vectors centroids = initial;
        List<Double> objectives = new ArrayList<>();
        List<Integer> reseededPerUpdate = new ArrayList<>();
        for (int t = 0; ; t++) {
            long start = System.nanoTime();
            Pass pass = engine.assign(centroids);
            objectives.add(pass.objective());
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.accept(String.format("k-means pass %d/%d: objective %.6e, %,d labels changed, %.1f s, "
                    + "%.0f points/s", t, iterations, pass.objective(), pass.changed(), seconds, points / seconds));
            boolean settled = pass.changed() == 0 && (t == 0 || reseededPerUpdate.getLast() == 0);
            if (t == iterations || settled) {
                break;
            }
            int[] emptyAndReseeded = new int[2];
            centroids = engine.update(centroids, emptyAndReseeded);
            reseededPerUpdate.add(emptyAndReseeded[1]);
            if (emptyAndReseeded[0] > 0) {
                progress.accept("  " + emptyAndReseeded[0] + " empty cluster(s), " + emptyAndReseeded[1]
                        + " re-seeded");
            }
        }
        return new Outcome(centroids, objectives.stream().mapToDouble(Double::doubleValue).toArray(),
                reseededPerUpdate.stream().mapToInt(Integer::intValue).toArray());
    }
}
