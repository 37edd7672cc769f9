/**
 * The {@code unicom} training method: a whole ViT trained by cluster discrimination on pseudo-classes, or by
 * supervised margin softmax on true labels, with the sampled margin softmax over class prototypes.
 */
package org.unicom4j.training.unicom;
