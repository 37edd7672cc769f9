package org.unicom4j.model;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/** The host side of an {@link ImageEncoder}: upload a batch, run the model on the device, download its output. */
public final class HostBatches {

    /** Runs {@code batch} images already uploaded to {@code images}; returns the output [batch, dim]. */
    @FunctionalInterface
    public interface DeviceStep {
        DeviceFloats run(DeviceFloats images, int batch);
    }

    private HostBatches() {
    }

    /**
     * Embeds {@code count} host images of {@code imageFloats} floats each through {@code step}, at most
     * {@code maxBatch} at a time, uploading each batch into {@code images} (a device buffer for one batch).
     */
    public static float[] embed(Backend backend, float[] hostImages, int count, int imageFloats, int maxBatch,
                                int dim, DeviceFloats images, DeviceStep step) {
        if (hostImages.length != (long) count * imageFloats) {
            throw new IllegalArgumentException("images: " + hostImages.length + " floats, expected " + count + " x "
                    + imageFloats);
        }
        float[] result = new float[Math.multiplyExact(count, dim)];
        for (int start = 0; start < count; start += maxBatch) {
            int batch = Math.min(maxBatch, count - start);
            DeviceFloats in = images.slice(0, (long) batch * imageFloats);
            backend.buffers().upload(hostImages, start * imageFloats, in);
            DeviceFloats o = step.run(in, batch);
            if (o.length() != (long) batch * dim) {
                throw new IllegalStateException("a batch of " + batch + " gave " + o.length() + " floats, expected "
                        + batch + " x " + dim);
            }
            backend.buffers().download(o, result, start * dim);
        }
        return result;
    }
}
