package org.unicom4j.model;

/**
 * Batched inference from preprocessed images to embeddings, holding its device buffers for batches of up to
 * {@link #maxBatch()} images. The Unicom ViT ({@link org.unicom4j.model.vit.VitEmbedder}) and the foundation
 * backbones ({@link org.unicom4j.model.encoder.EncoderEmbedder}) are both one.
 */
public interface ImageEncoder extends AutoCloseable {

    /** Floats per embedding. */
    int dim();

    int maxBatch();

    /**
     * Embeds {@code count} preprocessed host images [count, channels, height, width] in batches of at most
     * {@link #maxBatch()}; returns [count, dim], the model's raw output.
     */
    float[] embed(float[] hostImages, int count);

    @Override
    void close();
}
