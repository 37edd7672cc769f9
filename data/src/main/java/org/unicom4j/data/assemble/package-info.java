/**
 * Multi-domain training sets assembled from several labelled sources (the shape of UniFEx's M4D-35k): each source's
 * classes get their own label range, classes with too few images are dropped, sources can be capped, and the result
 * is one {@code img_path,label} CSV that every reader of {@code --csv} takes, with a per-source summary.
 */
package org.unicom4j.data.assemble;
