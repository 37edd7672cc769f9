package org.unicom4j.retrieval.kmeans;

import org.unicom4j.retrieval.PointSource;
import org.unicom4j.retrieval.Vectors;

/** Gathers chosen rows of a point source into memory. */
final class PointRows {
    private PointRows() {
    }

    static Vectors gather(PointSource points, long[] rows) {
        int d = points.dim();
        float[] out = new float[Math.multiplyExact(rows.length, d)];
        float[] row = new float[d];
        for (int i = 0; i < rows.length; i++) {
            points.read(rows[i], 1, row);
            System.arraycopy(row, 0, out, i * d, d);
        }
        return new Vectors(out, rows.length, d);
    }
}
