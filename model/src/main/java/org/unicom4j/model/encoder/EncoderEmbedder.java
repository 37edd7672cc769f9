package org.unicom4j.model.encoder;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.HostBatches;
import org.unicom4j.model.ImageEncoder;

/** Batched inference of a {@link VisionEncoder}: its activations and one batch of input on the device. */
public final class EncoderEmbedder implements ImageEncoder {
    private final VisionEncoder encoder;
    private final EncoderActivations activations;
    private final DeviceFloats images;
    private final int imageFloats;

    public EncoderEmbedder(VisionEncoder encoder, int maxBatch) {
        this.encoder = encoder;
        EncoderConfig c = encoder.config();
        this.imageFloats = c.channels() * c.imageSize() * c.imageSize();
        this.activations = new EncoderActivations(encoder.backend(), c, maxBatch);
        try {
            this.images = encoder.backend().buffers().allocFloats((long) maxBatch * imageFloats);
        } catch (RuntimeException e) {
            activations.close();
            throw e;
        }
    }

    @Override
    public int dim() {
        return encoder.config().outputDim();
    }

    @Override
    public int maxBatch() {
        return activations.maxBatch();
    }

    @Override
    public float[] embed(float[] hostImages, int count) {
        return HostBatches.embed(encoder.backend(), hostImages, count, imageFloats, maxBatch(), dim(), images,
                (in, batch) -> encoder.forward(in, batch, activations));
    }

    @Override
    public void close() {
        activations.close();
        images.close();
    }
}
