/**
 * Training augmentations, seeded and reproducible: for decoded images random resized crop, horizontal flip,
 * RandAugment (timm's operation set and magnitude scheme) and random erasing, composed by
 * {@link org.unicom4j.data.augment.TrainAugmentation}; for small float images in memory a pixel shift and flip
 * ({@link org.unicom4j.data.augment.PixelShift}) or a zoom with a sub-pixel shift
 * ({@link org.unicom4j.data.augment.AffineJitter}), or SSCQ's two views (crop, flip, colour jitter, grayscale,
 * blur: {@link org.unicom4j.data.augment.ContrastiveViews}).
 * Every random choice is drawn from the generator passed in, never from a global one.
 */
package org.unicom4j.data.augment;
