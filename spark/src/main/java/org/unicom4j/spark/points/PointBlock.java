package org.unicom4j.spark.points;

import java.io.Serializable;
import org.unicom4j.retrieval.Vectors;

/**
 * Consecutive feature rows of one partition: their ids and their values, row-major. The unit the distributed jobs
 * cache and hand to a kernel, so a kernel call sees thousands of rows, not one.
 *
 * @param ids  one id per row (for {@code .npy} shards, the row's index in the shards taken in order)
 * @param data rows x dim floats
 * @param dim  floats per row
 */
public record PointBlock(long[] ids, float[] data, int dim) implements Serializable {

    public PointBlock {
        if (dim <= 0 || (long) ids.length * dim != data.length) {
            throw new IllegalArgumentException("point block: " + ids.length + " ids and " + data.length
                    + " floats do not make rows of dim " + dim);
        }
    }

    public int rows() {
        return ids.length;
    }

    /** The rows as {@link Vectors} (sharing the array). */
    public Vectors vectors() {
        return new Vectors(data, ids.length, dim);
    }
}
