package org.unicom4j.model.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.HostBatches;
import org.unicom4j.model.ImageEncoder;

/**
 * Batched inference: images to raw (unnormalised) embeddings with the head folded into one affine map, or to the
 * head's input (the final LayerNorm's tokens, flattened token-major: {@link Output#TOKENS}). Holds inference
 * activations for {@code maxBatch} images and a device buffer for one batch of input and output; the folded head is
 * a snapshot, so build a new embedder after the weights change.
 */
public final class VitEmbedder implements ImageEncoder {
    /** What a row of the output is. */
    public enum Output {
        /** The model's embedding [embedding] (the head's output). */
        EMBEDDING,
        /** The head's input [tokens x width]: the features before the model's own projection. */
        TOKENS
    }

    private final VisionTransformer model;
    private final Output output;
    private final FoldedHead head;
    private final VitActivations activations;
    private final DeviceFloats images;
    private final DeviceFloats out;
    private final int imageFloats;

    public VitEmbedder(VisionTransformer model, int maxBatch) {
        this(model, maxBatch, Output.EMBEDDING);
    }

    public VitEmbedder(VisionTransformer model, int maxBatch, Output output) {
        this.model = model;
        this.output = output;
        VitConfig c = model.config();
        Backend backend = model.backend();
        this.imageFloats = c.channels() * c.imageSize() * c.imageSize();
        this.head = output == Output.EMBEDDING ? FoldedHead.fold(model) : null;
        this.activations = VitActivations.forInference(backend, c, maxBatch);
        this.images = backend.buffers().allocFloats((long) maxBatch * imageFloats);
        this.out = backend.buffers().allocFloats((long) maxBatch * dim(c, output));
    }

    /** Floats per output row. */
    public static int dim(VitConfig c, Output output) {
        return output == Output.EMBEDDING ? c.embedding() : c.flatDim();
    }

    @Override
    public int dim() {
        return dim(model.config(), output);
    }

    @Override
    public int maxBatch() {
        return activations.maxBatch();
    }

    /** Embeds {@code batch} images already on the device into {@code result} [batch, {@link #dim()}]. */
    public void embed(DeviceFloats deviceImages, int batch, DeviceFloats result) {
        DeviceFloats features = model.forwardFeatures(deviceImages, batch, activations, false);
        if (head != null) {
            head.apply(features, batch, result);
        } else {
            model.backend().buffers().copy(features, result.slice(0, features.length()));
        }
    }

    @Override
    public float[] embed(float[] hostImages, int count) {
        return HostBatches.embed(model.backend(), hostImages, count, imageFloats, maxBatch(), dim(), images,
                (in, batch) -> {
                    DeviceFloats o = out.slice(0, (long) batch * dim());
                    embed(in, batch, o);
                    return o;
                });
    }

    @Override
    public void close() {
        if (head != null) {
            head.close();
        }
        activations.close();
        images.close();
        out.close();
    }
}
