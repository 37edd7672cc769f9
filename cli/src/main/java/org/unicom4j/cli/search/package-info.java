/**
 * {@code unicom4j index} and {@code unicom4j search}: a persistent Lucene index of image embeddings, filled
 * incrementally, and nearest-neighbour queries against it with a table, JSON and a self-contained HTML page.
 */
package org.unicom4j.cli.search;
