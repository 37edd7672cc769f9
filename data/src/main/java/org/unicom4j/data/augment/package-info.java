/**
 * Training augmentations, seeded and reproducible: random resized crop, horizontal flip, RandAugment (timm's
 * operation set and magnitude scheme) and random erasing, composed by {@link org.unicom4j.data.augment.TrainAugmentation}.
 * Every random choice is drawn from the generator passed in, never from a global one.
 */
package org.unicom4j.data.augment;
