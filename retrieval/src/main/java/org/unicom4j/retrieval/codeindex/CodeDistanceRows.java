package org.unicom4j.retrieval.codeindex;

import java.util.stream.IntStream;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.CodeDistance;
import org.unicom4j.retrieval.metrics.DistanceRows;

/** Continuous queries against a code index's items, by one of its distances (queries computed in parallel). */
public final class CodeDistanceRows implements DistanceRows {
    private static final int BLOCK = 64;
    private final CodeIndex index;
    private final Vectors queries;
    private final CodeDistance distance;

    public CodeDistanceRows(CodeIndex index, Vectors queries, CodeDistance distance) {
        index.requireQueryDim(queries.dim());
        this.index = index;
        this.queries = queries;
        this.distance = distance;
    }

    @Override
    public int queries() {
        return queries.rows();
    }

    @Override
    public int databaseSize() {
        return index.size();
    }

    @Override
    public int preferredBlock() {
        return BLOCK;
    }

    @Override
    public void distances(int first, int count, float[] out) {
        int n = index.size();
        IntStream.range(0, count).parallel().forEach(r -> {
            float[] row = new float[n];
            index.distances(queries, first + r, distance, row);
            System.arraycopy(row, 0, out, r * n, n);
        });
    }
}
