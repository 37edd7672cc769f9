package org.unicom4j.retrieval.lucene;

/**
 * One search result of a {@link PersistentVectorIndex}.
 *
 * @param path  the image's unique id
 * @param label its class label
 * @param score inner product of the query and the stored embedding (cosine for unit vectors); approximate when
 *              the index is scalar-quantised
 */
public record IndexHit(String path, int label, float score) {
}
