/**
 * Embeddings on disk as {@code unicom4j embed} writes them (a {@code .npy} of rows, a manifest naming each row's image
 * and label, the model id), read back by the commands that search or evaluate them and by training on cached
 * features.
 */
package org.unicom4j.retrieval.embeddings;
