package org.unicom4j.retrieval.kmeans;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.data.npy.NpyDtype;
import org.unicom4j.data.npy.NpyRowWriter;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;

/**
 * Unicom's pseudo-classes (spec section 4): k-means on the joint image/text features of the pairs, written as a
 * label file (one cluster id per pair, {@code .npy} int32 or int64) and a centroid file ({@code .npy} float32
 * [k, dim]). Both files are written atomically, so a failed run leaves neither half-written.
 */
public final class JointFeatureClustering {
    private JointFeatureClustering() {
    }

    public static KMeansResult run(Backend backend, Path imageFeatures, Path textFeatures, KMeansConfig config,
                                   Path labelsOut, NpyDtype labelDtype, Path centroidsOut,
                                   Consumer<String> progress) throws IOException {
        if (labelDtype != NpyDtype.INT32 && labelDtype != NpyDtype.INT64) {
            throw new IllegalArgumentException(labelsOut + ": label dtype " + labelDtype.descr()
                    + " is not supported; expected <i4 or <i8");
        }
        KMeansResult result;
        try (JointImageTextPoints points = JointImageTextPoints.open(imageFeatures, textFeatures)) {
            result = new KMeans(backend, config, progress).fit(points);
        }
        writeLabels(result.labels(), labelsOut, labelDtype);
        writeCentroids(result.centroids(), centroidsOut);
        progress.accept("wrote " + result.labels().length + " labels to " + labelsOut + " and "
                + result.centroids().rows() + " centroids to " + centroidsOut);
        return result;
    }

    /** {@code labels} as a 1-D {@code .npy} of int32 or int64, written atomically. */
    public static void writeLabels(int[] labels, Path file, NpyDtype dtype) throws IOException {
        if (dtype == NpyDtype.INT32) {
            NpyArray.ofInts(labels, labels.length).write(file);
        } else {
            long[] wide = new long[labels.length];
            for (int i = 0; i < labels.length; i++) {
                wide[i] = labels[i];
            }
            NpyArray.ofLongs(wide, wide.length).write(file);
        }
    }

    /**
     * The centroids as a float32 [k, dim] {@code .npy}, written atomically; in blocks of rows, so no second k x dim
     * copy is made (10^6 x 768 centroids are 3 GiB).
     */
    public static void writeCentroids(Vectors centroids, Path file) throws IOException {
        int block = Math.max(1, (1 << 22) / centroids.dim());
        try (NpyRowWriter out = NpyRowWriter.create(file, NpyDtype.FLOAT32, centroids.dim())) {
            for (int first = 0; first < centroids.rows(); first += block) {
                out.writeRows(centroids.data(), first * centroids.dim(), Math.min(block, centroids.rows() - first));
            }
            out.finish();
        }
    }
}
