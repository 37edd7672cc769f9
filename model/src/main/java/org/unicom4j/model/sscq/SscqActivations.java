package org.unicom4j.model.sscq;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.model.vit.VitActivations;

/**
 * The buffers of one SSCQ forward (and, for training, backward) on batches of up to {@code maxBatch} images: the
 * encoder's activations, the head's pre- and post-ReLU activations, the features f, and for training the soft
 * quantiser's probabilities and z and the backward's intermediate gradients. Allocated once, reused every step.
 */
public final class SscqActivations implements AutoCloseable {
    final VitActivations encoder;
    final DeviceFloats hidden;
    final DeviceFloats activated;
    final DeviceFloats features;
    final DeviceFloats probabilities;
    final DeviceFloats quantised;
    final DeviceFloats dActivated;
    final DeviceFloats dEncoder;
    private final SscqConfig config;
    private final int maxBatch;
    private final boolean training;
    int lastBatch;
    DeviceFloats lastEncoderOutput;

    private SscqActivations(Backend backend, SscqConfig config, int maxBatch, boolean training) {
        this.config = config;
        this.maxBatch = maxBatch;
        this.training = training;
        var b = backend.buffers();
        long rows = maxBatch;
        this.encoder = training ? VitActivations.forTraining(backend, config.encoder(), maxBatch)
                : VitActivations.forInference(backend, config.encoder(), maxBatch);
        this.hidden = b.allocFloats(rows * config.hidden());
        this.activated = b.allocFloats(rows * config.hidden());
        this.features = b.allocFloats(rows * config.featureDim());
        this.probabilities = training ? b.allocFloats(rows * config.books() * config.words()) : null;
        this.quantised = training ? b.allocFloats(rows * config.featureDim()) : null;
        this.dActivated = training ? b.allocFloats(rows * config.hidden()) : null;
        this.dEncoder = training ? b.allocFloats(rows * config.encoder().embedding()) : null;
    }

    /** Buffers for training steps (forward, soft quantiser, backward). */
    public static SscqActivations forTraining(Backend backend, SscqConfig config, int maxBatch) {
        return new SscqActivations(backend, config, maxBatch, true);
    }

    /** Buffers for evaluation-mode forwards only (features and codes). */
    public static SscqActivations forInference(Backend backend, SscqConfig config, int maxBatch) {
        return new SscqActivations(backend, config, maxBatch, false);
    }

    public SscqConfig config() {
        return config;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public boolean isTraining() {
        return training;
    }

    /** The features f [lastBatch, books * subDim] of the last forward. */
    public DeviceFloats features() {
        return features.slice(0, (long) lastBatch * config.featureDim());
    }

    /** z [lastBatch, books * subDim] of the last {@link SscqModel#quantise}. */
    public DeviceFloats quantised() {
        return quantised.slice(0, (long) lastBatch * config.featureDim());
    }

    /** dL/dx [lastBatch, embedding] at the encoder's output, after {@link SscqModel#backwardHead}. */
    public DeviceFloats encoderGradient() {
        return dEncoder.slice(0, (long) lastBatch * config.encoder().embedding());
    }

    @Override
    public void close() {
        encoder.close();
        for (DeviceFloats d : new DeviceFloats[] {hidden, activated, features, probabilities, quantised, dActivated,
            dEncoder}) {
            if (d != null) {
                d.close();
            }
        }
    }
}
