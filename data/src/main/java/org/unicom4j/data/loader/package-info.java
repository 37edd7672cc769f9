/**
 * Batches for training and embedding: images decoded and transformed on background threads with bounded prefetch,
 * in an order fixed by (seed, epoch), with bad images counted and reported by path.
 */
package org.unicom4j.data.loader;
