package org.unicom4j.spark.points;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.unicom4j.retrieval.L2Norm;
import org.unicom4j.retrieval.PointSource;
import org.unicom4j.retrieval.kmeans.JointImageTextPoints;
import org.unicom4j.retrieval.kmeans.NpyPoints;

/**
 * Rows {@code [first, first + count)} of one {@code .npy} feature shard (with its text shard for the joint feature),
 * read on an executor into {@link PointBlock}s. The shard must be at the same path on every executor (a shared
 * file system, or local mode).
 *
 * @param image   the shard's path
 * @param text    the paired text shard, or null
 * @param idBase  the id of the shard's row 0 (its offset in the shards taken in order)
 * @param first   first row of the split
 * @param count   rows in the split
 * @param feature what a row is
 */
record NpySplit(String image, String text, long idBase, long first, long count, RowFeature feature)
        implements Serializable {

    /** The split's rows in blocks of at most {@code blockRows}. */
    Iterator<PointBlock> read(int blockRows) {
        try {
            if (feature == RowFeature.JOINT_IMAGE_TEXT) {
                try (JointImageTextPoints rows = JointImageTextPoints.open(Path.of(image), Path.of(text))) {
                    return read(rows, blockRows).iterator();
                }
            }
            try (NpyPoints rows = NpyPoints.open(Path.of(image))) {
                return read(rows, blockRows).iterator();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<PointBlock> read(PointSource rows, int blockRows) {
        List<PointBlock> blocks = new ArrayList<>();
        int d = rows.dim();
        for (long at = first; at < first + count; at += blockRows) {
            int n = (int) Math.min(blockRows, first + count - at);
            float[] data = new float[n * d];
            rows.read(at, n, data);
            if (feature == RowFeature.NORMALIZED) {
                L2Norm.normalizeRows(data, n, d);
            }
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = idBase + at + i;
            }
            blocks.add(new PointBlock(ids, data, d));
        }
        return blocks;
    }

    /** Rows and dim of a shard (the pair for the joint feature), its header checked. */
    static long[] shape(Path image, Path text) throws IOException {
        if (text != null) {
            try (JointImageTextPoints rows = JointImageTextPoints.open(image, text)) {
                return new long[] {rows.size(), rows.dim()};
            }
        }
        try (NpyPoints rows = NpyPoints.open(image)) {
            return new long[] {rows.size(), rows.dim()};
        }
    }
}
