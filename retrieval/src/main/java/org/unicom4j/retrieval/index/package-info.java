/**
 * Nearest-neighbour search: exact search on a {@link org.unicom4j.kernels.Backend} ({@link
 * org.unicom4j.retrieval.index.FlatIndex}), a double-precision host reference, and compressed indexes: product
 * quantisation ({@link org.unicom4j.retrieval.index.PqIndex}: 4- or 8-bit codes, scanned on byte tables in vector
 * registers with an exact re-ranking) and IVF-PQ ({@link org.unicom4j.retrieval.index.IvfPqIndex}). Every search
 * ranks by score, then by the lower gallery index.
 */
package org.unicom4j.retrieval.index;
