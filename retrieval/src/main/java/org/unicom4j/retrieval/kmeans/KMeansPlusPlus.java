package org.unicom4j.retrieval.kmeans;

import java.util.SplittableRandom;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.retrieval.Vectors;

/**
 * k-means++ seeding (Arthur and Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007) over
 * points held in memory: the first centroid uniformly at random, each next one drawn with probability
 * D(x)^2 / sum D^2, D the distance to the nearest centroid chosen so far. The points stay on the device; each
 * step computes the distances to the newest centroid with {@link Backend#squaredL2Distances} and reads them back.
 */
public final class KMeansPlusPlus {
    private KMeansPlusPlus() {
    }

    /** Indices (into {@code points}) of the k chosen centroids, in the order chosen. */
    public static int[] choose(Backend backend, Vectors points, int k, SplittableRandom random) {
        int n = points.rows(), d = points.dim();
        if (k > n) {
            throw new IllegalArgumentException("k-means++: k = " + k + " exceeds the " + n + " points");
        }
        int[] chosen = new int[k];
        float[] nearest = new float[n];
        float[] step = new float[n];
        try (DeviceFloats x = backend.buffers().allocFloats((long) n * d);
             DeviceFloats dist = backend.buffers().allocFloats(n)) {
            backend.buffers().upload(points.data(), x);
            chosen[0] = random.nextInt(n);
            distancesTo(backend, x, chosen[0], n, d, dist, nearest);
            for (int c = 1; c < k; c++) {
                chosen[c] = drawProportional(nearest, random);
                distancesTo(backend, x, chosen[c], n, d, dist, step);
                for (int i = 0; i < n; i++) {
                    nearest[i] = Math.min(nearest[i], step[i]);
                }
            }
        }
        return chosen;
    }

    private static void distancesTo(Backend backend, DeviceFloats x, int centre, int n, int d, DeviceFloats dist,
                                    float[] out) {
        backend.search().squaredL2Distances(x.slice((long) centre * d, d), x, dist, 1, n, d);
        backend.buffers().download(dist, out, 0);
        out[centre] = 0; // exactly: the norms expansion can leave a rounding residue on the centre itself
    }

    /**
     * Index i drawn with probability w[i] / sum w (sum in double, first index whose running sum exceeds the
     * draw). When every weight is 0 (every point coincides with a chosen centroid), the draw is uniform.
     */
    static int drawProportional(float[] w, SplittableRandom random) {
        double total = 0;
        for (float v : w) {
            total += v;
        }
        if (!(total > 0)) {
            return random.nextInt(w.length);
        }
        double r = random.nextDouble() * total, running = 0;
        int last = -1;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                running += w[i];
                last = i;
                if (running > r) {
                    return i;
                }
            }
        }
        return last; // rounding left r at the very end
    }
}
