package org.unicom4j.cli.cluster;

import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.PointSource;

/** Another source's rows, each L2-normalised ({@link L2Norm}) as it is read. */
final class NormalizedRows implements PointSource {
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
        L2Norm.normalizeRows(dst, count, dim());
    }
}
