/**
 * Labelled image sources and embedding them whole: the images with the ids and splits a manifest or an index
 * records, and batched in-order embedding with background decoding (what {@code embed}, {@code index} and
 * {@code eval} run over a data set).
 */
package org.unicom4j.api.dataset;
