package org.unicom4j.data.dataset;

/**
 * A benchmark evaluated by query/gallery retrieval (In-shop): a training half, and queries searched against a
 * gallery. Query and gallery share one class numbering so equal labels mean the same item.
 */
public record QueryGallerySplit(FileImageDataset train, FileImageDataset query, FileImageDataset gallery) {
    /** Every part decoded with another pixel limit. */
    public QueryGallerySplit withMaxImagePixels(long maxImagePixels) {
        return new QueryGallerySplit(train.withMaxImagePixels(maxImagePixels),
                query.withMaxImagePixels(maxImagePixels), gallery.withMaxImagePixels(maxImagePixels));
    }
}
