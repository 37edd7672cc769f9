/**
 * The library API for JVM applications: {@link org.unicom4j.api.ImageEmbedder} turns images into embeddings
 * (thread-safe, concurrent calls batched into shared forward passes) and {@link org.unicom4j.api.ImageIndex} keeps
 * them in a persistent index to add to, delete from and search, from any number of threads.
 */
package org.unicom4j.api;
