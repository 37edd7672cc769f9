/**
 * Retrieval benchmark metrics, each exactly as its benchmark defines it (Recall@K, mAP@R, hashing mAP@K, mMP@5,
 * mAP@100, revisited Oxford/Paris mAP, DINO k-NN accuracy), scored on {@link org.unicom4j.retrieval.Neighbours}
 * rankings, plus the embedding-prefix protocol behind the compactness curve and the hashing protocol
 * ({@link org.unicom4j.retrieval.metrics.HashingEvaluation}: full rankings of a separate database, mAP@K, P@N and the
 * precision-recall curve, written as JSON and a PNG by {@link org.unicom4j.retrieval.metrics.HashingReport}).
 */
package org.unicom4j.retrieval.metrics;
