/**
 * k-means on a {@link org.unicom4j.kernels.Backend}: seeded initialisation (random sample or k-means++), Lloyd
 * iterations whose assignment step is chunked GEMM-based exact search (points in chunks against centroids in
 * chunks), empty-cluster re-seeding, and the Unicom pseudo-labelling of joint image/text CLIP features.
 */
package org.unicom4j.retrieval.kmeans;
