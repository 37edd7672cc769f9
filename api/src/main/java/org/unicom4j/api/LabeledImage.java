package org.unicom4j.api;

import org.unicom4j.data.image.PixelImage;

/**
 * An image to add to an {@link ImageIndex} with {@link ImageIndex#addAll}.
 *
 * @param id    its id in the index (unique)
 * @param label its label (-1 when it has none)
 * @param image its pixels (decode files with {@link ImageEmbedder#decode} or {@code ImageDecoder})
 */
public record LabeledImage(String id, int label, PixelImage image) {
}
