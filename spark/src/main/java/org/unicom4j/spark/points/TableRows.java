package org.unicom4j.spark.points;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.L2Norm;

/** Table rows (id, vector[, text vector]) gathered into {@link PointBlock}s on an executor. */
final class TableRows {
    private TableRows() {
    }

    static Iterator<PointBlock> blocks(Iterator<Row> rows, int dim, RowFeature feature, int blockRows) {
        List<PointBlock> out = new ArrayList<>();
        while (rows.hasNext()) {
            long[] ids = new long[blockRows];
            float[] data = new float[blockRows * dim];
            int n = 0;
            while (n < blockRows && rows.hasNext()) {
                Row r = rows.next();
                ids[n] = r.getLong(0);
                copy(r, 1, dim, data, n * dim);
                if (feature == RowFeature.JOINT_IMAGE_TEXT) {
                    float[] text = new float[dim];
                    copy(r, 2, dim, text, 0);
                    for (int j = 0; j < dim; j++) {
                        data[n * dim + j] = (data[n * dim + j] + text[j]) * 0.5f;
                    }
                }
                n++;
            }
            if (feature != RowFeature.AS_STORED) {
                L2Norm.normalizeRows(data, n, dim);
            }
            out.add(n == blockRows ? new PointBlock(ids, data, dim)
                    : new PointBlock(java.util.Arrays.copyOf(ids, n), java.util.Arrays.copyOf(data, n * dim), dim));
        }
        return out.iterator();
    }

    private static void copy(Row r, int column, int dim, float[] dst, int offset) {
        if (r.isNullAt(column)) {
            throw new InvalidInputException("features: row id " + r.getLong(0) + " has no vector in column "
                    + r.schema().fields()[column].name());
        }
        List<Object> v = r.getList(column);
        if (v.size() != dim) {
            throw new InvalidInputException("features: row id " + r.getLong(0) + " has a vector of " + v.size()
                    + " values in column " + r.schema().fields()[column].name() + ", expected " + dim);
        }
        for (int j = 0; j < dim; j++) {
            dst[offset + j] = ((Number) v.get(j)).floatValue();
        }
    }
}
