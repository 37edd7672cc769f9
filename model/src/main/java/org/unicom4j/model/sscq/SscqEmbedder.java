package org.unicom4j.model.sscq;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.model.ImageEncoder;

/**
 * Evaluation-mode SSCQ inference in batches of up to {@code maxBatch} images: the continuous features f (what
 * queries are, and what a continuous index holds) or the hard codes (one codeword index per codebook: what a code
 * index stores). Buffers are allocated once. As an {@link ImageEncoder} it embeds into the features.
 */
public final class SscqEmbedder implements ImageEncoder {
    private final SscqModel model;
    private final SscqActivations activations;
    private final DeviceFloats images;
    private final DeviceInts codes;
    private final int imageFloats;

    public SscqEmbedder(SscqModel model, int maxBatch) {
        this.model = model;
        SscqConfig c = model.config();
        Backend backend = model.backend();
        this.imageFloats = c.encoder().channels() * c.encoder().imageSize() * c.encoder().imageSize();
        this.activations = SscqActivations.forInference(backend, c, maxBatch);
        this.images = backend.buffers().allocFloats((long) maxBatch * imageFloats);
        this.codes = backend.buffers().allocInts((long) maxBatch * c.books());
    }

    @Override
    public int dim() {
        return model.config().featureDim();
    }

    @Override
    public int maxBatch() {
        return activations.maxBatch();
    }

    /** Features [count, books * subDim] of host images [count, channels, size, size] (preprocessed). */
    @Override
    public float[] embed(float[] hostImages, int count) {
        int dim = dim();
        float[] out = new float[Math.multiplyExact(count, dim)];
        run(hostImages, count, (f, start, batch) -> model.backend().buffers().download(f.slice(0, (long) batch * dim),
                out, start * dim));
        return out;
    }

    /** Hard codes [count, books] (values in [0, words)) of host images. */
    public int[] codes(float[] hostImages, int count) {
        int books = model.config().books();
        int[] out = new int[Math.multiplyExact(count, books)];
        run(hostImages, count, (f, start, batch) -> {
            DeviceInts c = codes.slice(0, (long) batch * books);
            model.assignCodes(f, batch, c);
            model.backend().buffers().download(c, out, start * books);
        });
        return out;
    }

    private interface BatchSink {
        void accept(DeviceFloats features, int start, int batch);
    }

    private void run(float[] hostImages, int count, BatchSink sink) {
        if (hostImages.length != (long) count * imageFloats) {
            throw new IllegalArgumentException("images: " + hostImages.length + " floats, expected " + count + " x "
                    + imageFloats);
        }
        for (int start = 0; start < count; start += maxBatch()) {
            int batch = Math.min(maxBatch(), count - start);
            DeviceFloats in = images.slice(0, (long) batch * imageFloats);
            model.backend().buffers().upload(hostImages, start * imageFloats, in);
            sink.accept(model.forward(in, batch, activations, false), start, batch);
        }
    }

    @Override
    public void close() {
        activations.close();
        images.close();
        codes.close();
    }
}
