package org.unicom4j.model.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.HostBatches;
import org.unicom4j.model.ImageEncoder;

/**
 * Batched inference: images to raw (unnormalised) embeddings with the head folded into one affine map. Holds
 * inference activations for {@code maxBatch} images and a device buffer for one batch of input and output; the
 * folded head is a snapshot, so build a new embedder after the weights change.
 */
public final class VitEmbedder implements ImageEncoder {
    private final VisionTransformer model;
    private final FoldedHead head;
    private final VitActivations activations;
    private final DeviceFloats images;
    private final DeviceFloats out;
    private final int imageFloats;

    public VitEmbedder(VisionTransformer model, int maxBatch) {
        this.model = model;
        VitConfig c = model.config();
        Backend backend = model.backend();
        this.imageFloats = c.channels() * c.imageSize() * c.imageSize();
        this.head = FoldedHead.fold(model);
        this.activations = VitActivations.forInference(backend, c, maxBatch);
        this.images = backend.buffers().allocFloats((long) maxBatch * imageFloats);
        this.out = backend.buffers().allocFloats((long) maxBatch * c.embedding());
    }

    @Override
    public int maxBatch() {
        return activations.maxBatch();
    }

    /** Embeds {@code batch} images already on the device into {@code result} [batch, embedding]. */
    public void embed(DeviceFloats deviceImages, int batch, DeviceFloats result) {
        DeviceFloats features = model.forwardFeatures(deviceImages, batch, activations, false);
        head.apply(features, batch, result);
    }

    @Override
    public int dim() {
        return model.config().embedding();
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
        head.close();
        activations.close();
        images.close();
        out.close();
    }
}
