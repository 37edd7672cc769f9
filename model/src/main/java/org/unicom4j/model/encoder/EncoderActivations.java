package org.unicom4j.model.encoder;

import java.util.ArrayList;
import java.util.List;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/**
 * The buffers of a forward pass for batches of up to {@link #maxBatch()} images, allocated once. The blocks share
 * one set: the residual stream, a LayerNorm output that later holds each branch's output, qkv, the attention
 * output and the MLP hidden layer. Attention probabilities are only scratch here, so attention runs on groups of
 * {@link #attentionGroup()} images, which keeps SigLIP So400m's (16 heads x 729^2 tokens per image) within 64 MB.
 */
public final class EncoderActivations implements AutoCloseable {
    /** Floats of attention probabilities held at once: 64 MB. */
    static final long PROBABILITY_BUDGET = 1L << 24;

    private final EncoderConfig config;
    private final int maxBatch;
    private final int attentionGroup;
    private final List<DeviceFloats> owned = new ArrayList<>();
    final DeviceFloats patches;
    final DeviceFloats residual;
    final DeviceFloats normed;
    final DeviceFloats qkv;
    final DeviceFloats attnOut;
    final DeviceFloats hidden;
    final DeviceFloats mean;
    final DeviceFloats rstd;
    final DeviceFloats probs;
    /** Readout: the class token or the pooled token [batch, D], its normalised form, and the output. */
    final DeviceFloats pooled;
    final DeviceFloats pooledNorm;
    final DeviceFloats headNorm;
    final DeviceFloats headProbs;
    final DeviceFloats out;

    public EncoderActivations(Backend backend, EncoderConfig config, int maxBatch) {
        this(backend, config, maxBatch, PROBABILITY_BUDGET);
    }

    /** With attention groups sized to hold at most {@code probabilityBudget} probabilities (at least one image). */
    EncoderActivations(Backend backend, EncoderConfig config, int maxBatch, long probabilityBudget) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("activations: maxBatch must be >= 1, got " + maxBatch);
        }
        this.config = config;
        this.maxBatch = maxBatch;
        long rows = (long) maxBatch * config.tokens(), d = config.width(), t = config.tokens();
        long perImageProbs = config.heads() * t * t;
        this.attentionGroup = (int) Math.max(1, Math.min(maxBatch, probabilityBudget / perImageProbs));
        try {
            patches = alloc(backend, (long) maxBatch * config.patches() * config.patchDim());
            residual = alloc(backend, rows * d);
            normed = alloc(backend, rows * d);
            qkv = alloc(backend, rows * 3 * d);
            attnOut = alloc(backend, rows * d);
            hidden = alloc(backend, rows * config.mlpHidden());
            mean = alloc(backend, rows);
            rstd = alloc(backend, rows);
            probs = alloc(backend, attentionGroup * perImageProbs);
            pooled = alloc(backend, maxBatch * d);
            pooledNorm = alloc(backend, maxBatch * d);
            boolean head = !config.family().classToken();
            headNorm = head ? alloc(backend, maxBatch * d) : null;
            headProbs = head ? alloc(backend, (long) maxBatch * config.heads() * t) : null;
            out = alloc(backend, (long) maxBatch * config.outputDim());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private DeviceFloats alloc(Backend backend, long length) {
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("activations of " + length + " floats exceed one device buffer "
                    + "(2^31-1): use a smaller batch than " + maxBatch);
        }
        DeviceFloats b = backend.buffers().allocFloats(length);
        owned.add(b);
        return b;
    }

    public EncoderConfig config() {
        return config;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** Images per attention call. */
    public int attentionGroup() {
        return attentionGroup;
    }

    @Override
    public void close() {
        for (DeviceFloats b : owned) {
            b.close();
        }
        owned.clear();
    }
}
