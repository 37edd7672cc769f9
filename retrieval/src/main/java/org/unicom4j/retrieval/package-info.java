/**
 * Retrieval on embeddings: exact and compressed nearest-neighbour search, k-means, and the benchmark metrics.
 * {@link org.unicom4j.retrieval.Vectors} and {@link org.unicom4j.retrieval.Neighbours} are the shared currency:
 * searches turn vectors into ranked neighbour lists, metrics score those lists.
 */
package org.unicom4j.retrieval;
