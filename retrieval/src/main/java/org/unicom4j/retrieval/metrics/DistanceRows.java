package org.unicom4j.retrieval.metrics;

/**
 * The full distance matrix of queries against a database, handed out a block of query rows at a time (smaller
 * distance = nearer): exact distances between embeddings, or a code index's distances between queries and codes.
 */
public interface DistanceRows {

    int queries();

    int databaseSize();

    /** Rows {@code first .. first + count) into {@code out} as [count x databaseSize], row-major. */
    void distances(int first, int count, float[] out);

    /** Query rows per {@link #distances} call that suit this source (a backend batch, or 1). */
    default int preferredBlock() {
        return 1;
    }
}
