/**
 * The persistent code index: product-quantisation codebooks (trained post hoc or a model's own, e.g. SSCQ's) and
 * the database items' hard codes with their ids, labels and paths, in one atomically written file
 * ({@link org.unicom4j.retrieval.codeindex.CodeIndexFile}), searched with continuous queries by asymmetric or
 * symmetric distances ({@link org.unicom4j.retrieval.index.CodeDistance}).
 */
package org.unicom4j.retrieval.codeindex;
