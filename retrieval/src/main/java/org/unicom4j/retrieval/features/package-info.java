/**
 * Hand-made, label-free image features: histograms of oriented gradients, principal components (with the small
 * symmetric eigen-solver they need) and the feature maps built from them that k-means clusters into pseudo-classes.
 */
package org.unicom4j.retrieval.features;
