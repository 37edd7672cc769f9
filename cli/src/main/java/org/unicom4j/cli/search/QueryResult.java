package org.unicom4j.cli.search;

import java.util.List;
import org.unicom4j.retrieval.lucene.IndexHit;

/** One query image and its nearest indexed images, best first (score: cosine similarity). */
record QueryResult(String query, List<IndexHit> hits) {
}
