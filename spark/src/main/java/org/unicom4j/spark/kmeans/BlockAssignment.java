package org.unicom4j.spark.kmeans;

import java.io.Serializable;

/**
 * The assignment of one {@link org.unicom4j.spark.points.PointBlock}'s rows: nearest centroid, squared distance to
 * it, and how many labels differ from the previous pass.
 */
record BlockAssignment(int[] labels, float[] distances, long changed) implements Serializable {

    /** Before the first pass: every label -1 (so the first pass changes them all, as in KMeans). */
    static BlockAssignment unassigned(int rows) {
        int[] labels = new int[rows];
        java.util.Arrays.fill(labels, -1);
        return new BlockAssignment(labels, new float[rows], 0);
    }
}
