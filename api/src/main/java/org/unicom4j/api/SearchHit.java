package org.unicom4j.api;

/**
 * One image found by {@link ImageIndex#search}.
 *
 * @param id    the image's id in the index
 * @param label its label
 * @param score cosine similarity of its embedding and the query's (1 for the same image)
 */
public record SearchHit(String id, int label, float score) {
}
