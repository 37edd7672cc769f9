package org.unicom4j.cli.embedding;

/**
 * Embeds preprocessed host images [count, channels, size, size] in batches of at most the size it was made for:
 * a ViT's embeddings, or an SSCQ model's continuous features.
 */
public interface ImageEmbedder extends AutoCloseable {

    /** Rows of {@link LoadedModel#dim()} floats, one per image. */
    float[] embed(float[] images, int count);

    @Override
    void close();
}
