/**
 * {@code unicom4j eval}: retrieval benchmarks from images or precomputed embeddings: leave-one-out and
 * query/gallery Recall@K and mAP@R, the embedding-prefix compactness curve, and revisited Oxford/Paris mAP.
 */
package org.unicom4j.cli.eval;
