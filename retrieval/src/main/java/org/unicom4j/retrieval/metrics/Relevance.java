package org.unicom4j.retrieval.metrics;

import org.unicom4j.retrieval.Neighbours;

/** Which gallery items count as relevant to each query (same class, or a shared label). */
public interface Relevance {

    /** Number of queries. */
    int queries();

    /** Number of gallery items. */
    int gallerySize();

    /** True when gallery item {@code item} is relevant to query {@code query}. */
    boolean isRelevant(int query, int item);

    /**
     * Relevant gallery items of a query; in a leave-one-out set the query itself is not counted (it is never
     * among its own neighbours).
     */
    int relevantCount(int query);

    /** Throws IllegalArgumentException unless {@code rankings} has one list per query of this relevance. */
    default void requireSameQueries(String metric, Neighbours rankings) {
        if (rankings.queries() != queries()) {
            throw new IllegalArgumentException(metric + ": rankings hold " + rankings.queries()
                    + " queries, the relevance labels " + queries());
        }
    }
}
