package org.unicom4j.cli.cluster;

import org.unicom4j.retrieval.PointSource;

/** Another source's rows, each L2-normalised as it is read (x / max(||x||, 1e-12)). */
final class NormalizedRows implements PointSource {
    private static final double EPS = 1e-12;
    private final PointSource rows;

    NormalizedRows(PointSource rows) {
        this.rows = rows;
    }

    @Override
    public long size() {
        return rows.size();
    }

    @Override
    public int dim() {
        return rows.dim();
    }

    @Override
    public void read(long first, int count, float[] dst) {
        rows.read(first, count, dst);
        int d = dim();
        for (int r = 0; r < count; r++) {
            double sq = 0;
            for (int j = r * d; j < (r + 1) * d; j++) {
                sq += (double) dst[j] * dst[j];
            }
            float inv = (float) (1 / Math.max(Math.sqrt(sq), EPS));
            for (int j = r * d; j < (r + 1) * d; j++) {
                dst[j] *= inv;
            }
        }
    }
}
