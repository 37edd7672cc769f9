/**
 * A projection head trained on a frozen backbone's cached features (spec unifex.md): Dropout -> Linear, optionally
 * BatchNorm, on a {@link org.unicom4j.kernels.Backend}; and its composition with a Unicom ViT into one model.
 */
package org.unicom4j.model.head;
