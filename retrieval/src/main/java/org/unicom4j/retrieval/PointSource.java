package org.unicom4j.retrieval;

/**
 * Rows of float vectors that can be read in chunks, so that passes over data larger than the heap (feature shards
 * of millions of rows) can stream. Implementations must return the same values on every read.
 */
public interface PointSource {

    /** Number of rows. */
    long size();

    /** Floats per row. */
    int dim();

    /** Copies rows {@code [first, first + count)} row after row into {@code dst[0 .. count * dim)}. */
    void read(long first, int count, float[] dst);
}
