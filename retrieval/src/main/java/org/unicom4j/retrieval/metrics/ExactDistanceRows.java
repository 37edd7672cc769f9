package org.unicom4j.retrieval.metrics;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Vectors;

/**
 * Squared L2 distances between query and database embeddings, computed on a backend a block of queries at a time
 * ({@code backend.search().squaredL2Distances}); the database stays on the device. Close it to free the device buffers.
 */
public final class ExactDistanceRows implements DistanceRows, AutoCloseable {
    private static final int BLOCK = 64;
    private final Backend backend;
    private final Vectors queries;
    private final int databaseSize;
    private final DeviceFloats database;
    private final DeviceFloats queryBlock;
    private final DeviceFloats out;

    public ExactDistanceRows(Backend backend, Vectors queries, Vectors database) {
        if (queries.dim() != database.dim()) {
            throw new InvalidInputException("distances: queries of dim " + queries.dim() + ", database of dim "
                    + database.dim());
        }
        this.backend = backend;
        this.queries = queries;
        this.databaseSize = database.rows();
        this.database = backend.buffers().allocFloats(database.data().length);
        this.queryBlock = backend.buffers().allocFloats((long) BLOCK * queries.dim());
        this.out = backend.buffers().allocFloats((long) BLOCK * databaseSize);
        backend.buffers().upload(database.data(), this.database);
    }

    @Override
    public int queries() {
        return queries.rows();
    }

    @Override
    public int databaseSize() {
        return databaseSize;
    }

    @Override
    public int preferredBlock() {
        return BLOCK;
    }

    @Override
    public void distances(int first, int count, float[] result) {
        if (count > BLOCK) {
            throw new IllegalArgumentException("distances: " + count + " queries in one block, at most " + BLOCK);
        }
        int d = queries.dim();
        DeviceFloats q = queryBlock.slice(0, (long) count * d);
        DeviceFloats o = out.slice(0, (long) count * databaseSize);
        backend.buffers().upload(queries.data(), first * d, q);
        backend.search().squaredL2Distances(q, database, o, count, databaseSize, d);
        backend.buffers().download(o, result, 0);
    }

    @Override
    public void close() {
        out.close();
        queryBlock.close();
        database.close();
    }
}
