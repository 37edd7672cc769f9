/**
 * A persistent, incrementally updated image index on Apache Lucene: one document per image (path, label,
 * embedding in an HNSW graph), Lucene commits as the durability points, index-level metadata in the commit.
 */
package org.unicom4j.retrieval.lucene;
