package org.unicom4j.retrieval.lucene;

/**
 * One image as a {@link PersistentVectorIndex} holds it, without its embedding.
 *
 * @param path    the image's unique id
 * @param label   its class label
 * @param picture the small encoded picture stored with it (a PNG thumbnail, say), or null when none was stored
 */
public record IndexEntry(String path, int label, byte[] picture) {
}
