package org.unicom4j.model.encoder;

import java.util.ArrayList;
import java.util.List;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.StateDict;

/**
 * A frozen CLIP or SigLIP vision tower on one {@link Backend}, forward only: parameters in one buffer laid out by
 * {@link EncoderLayout}, plus two tensors computed once from them: the token bias (position embeddings, with CLIP's
 * class embedding on its first row or SigLIP's patch bias on every row) and SigLIP's projected probe query.
 *
 * <p>Forward: patchify + one GEMM (the stride-p Conv2d) into each image's patch rows, + token bias; CLIP then
 * pre_layrnorm; the blocks ({@link EncoderBlock}); the readout: CLIP post_layernorm of the class token, then the
 * projection if there is one; SigLIP post_layernorm of every token, then {@link AttentionPoolingHead}.
 */
public final class VisionEncoder implements AutoCloseable {
    private final Backend backend;
    private final EncoderConfig config;
    private final EncoderLayout layout;
    private final DeviceFloats parameters;
    private final EncoderTensors tensors;
    private final DeviceFloats tokenBias;
    private final DeviceFloats probeQuery;

    private VisionEncoder(Backend backend, EncoderLayout layout, DeviceFloats parameters) {
        this.backend = backend;
        this.config = layout.config();
        this.layout = layout;
        this.parameters = parameters;
        this.tensors = EncoderTensors.view(layout, parameters);
        List<DeviceFloats> made = new ArrayList<>();
        try {
            tokenBias = backend.buffers().allocFloats((long) config.tokens() * config.width());
            made.add(tokenBias);
            probeQuery = tensors.head() == null ? null : backend.buffers().allocFloats(config.width());
        } catch (RuntimeException e) {
            made.forEach(DeviceFloats::close);
            throw e;
        }
        prepare();
    }

    /**
     * Checks that {@code weights} holds exactly the tower's tensors with their shapes (a one-line
     * {@link org.unicom4j.model.checkpoint.StateDictMismatchException} naming the first difference otherwise, before
     * any device memory is allocated), then uploads them as float32.
     */
    public static VisionEncoder load(Backend backend, EncoderConfig config, StateDict weights) {
        EncoderLayout layout = EncoderLayout.of(config);
        weights.requireExactly(layout.slots().stream().map(EncoderLayout.Slot::key).toList());
        for (EncoderLayout.Slot s : layout.slots()) {
            weights.require(s.key(), s.shape());
        }
        DeviceFloats parameters = backend.buffers().allocFloats(layout.parameterCount());
        try {
            for (EncoderLayout.Slot s : layout.slots()) {
                HostTensor t = weights.get(s.key());
                backend.buffers().upload(t.toFloatArray(), parameters.slice(s.offset(), s.size()));
            }
            return new VisionEncoder(backend, layout, parameters);
        } catch (RuntimeException e) {
            parameters.close();
            throw e;
        }
    }

    /** The token bias and SigLIP's probe query, from the parameters just loaded. */
    private void prepare() {
        int d = config.width();
        backend.buffers().copy(tensors.positions(), tokenBias);
        if (config.family().classToken()) {
            backend.elementwise().axpy(1f, tensors.classEmbedding(), tokenBias, d);
        } else {
            backend.layers().addBias(tokenBias, tensors.patchBias(), config.patches(), d);
            AttentionPoolingHead.query(backend, config, tensors.head(), probeQuery);
        }
    }

    public Backend backend() {
        return backend;
    }

    public EncoderConfig config() {
        return config;
    }

    public EncoderLayout layout() {
        return layout;
    }

    /**
     * Runs preprocessed images [batch, channels, imageSize, imageSize] through the tower and returns the embedding
     * [batch, outputDim] (a view of the activations, valid until their next use).
     */
    public DeviceFloats forward(DeviceFloats images, int batch, EncoderActivations a) {
        if (!a.config().equals(config)) {
            throw new IllegalArgumentException("activations are for " + a.config().describe() + ", model is "
                    + config.describe());
        }
        if (batch < 1 || batch > a.maxBatch()) {
            throw new IllegalArgumentException("batch = " + batch + ", activations hold 1.." + a.maxBatch());
        }
        embed(images, batch, a);
        for (EncoderTensors.Block block : tensors.blocks()) {
            EncoderBlock.forward(backend, config, batch, block, a);
        }
        return config.family().classToken() ? classToken(batch, a) : pooled(batch, a);
    }

    /** The residual stream's first value: patch embeddings (and CLIP's class token row) + token bias. */
    private void embed(DeviceFloats images, int batch, EncoderActivations a) {
        int t = config.tokens(), p = config.patches(), d = config.width(), pd = config.patchDim();
        backend.layers().patchify(images, a.patches, batch, config.channels(), config.imageSize(),
                config.imageSize(), config.patch());
        Matrix weightT = Matrix.of(tensors.patchWeight(), d, pd).transpose();
        if (config.family().classToken()) {
            DeviceFloats x = a.normed;
            backend.buffers().fill(x.slice(0, (long) batch * t * d), 0f); // the class rows: token bias only
            backend.gemm().multiplyBatched(batch, 1f, Matrix.of(a.patches, p, pd), (long) p * pd, weightT, 0, 0f,
                    Matrix.of(x.slice(d), p, d), (long) t * d);
            backend.layers().addBias(x, tokenBias, batch, t * d);
            backend.layers().layerNorm(x, tensors.preNormWeight(), tensors.preNormBias(), a.residual, a.mean, a.rstd,
                    batch * t, d, config.layerNormEps());
        } else {
            backend.gemm().multiply(1f, Matrix.of(a.patches, batch * p, pd), weightT, 0f,
                    Matrix.of(a.residual, batch * p, d));
            backend.layers().addBias(a.residual, tokenBias, batch, t * d);
        }
    }

    private DeviceFloats classToken(int batch, EncoderActivations a) {
        int t = config.tokens(), d = config.width();
        for (int b = 0; b < batch; b++) {
            backend.buffers().copy(a.residual.slice((long) b * t * d, d), a.pooled.slice((long) b * d, d));
        }
        backend.layers().layerNorm(a.pooled, tensors.postNormWeight(), tensors.postNormBias(), a.pooledNorm, a.mean,
                a.rstd, batch, d, config.layerNormEps());
        if (tensors.projection() == null) {
            return a.pooledNorm.slice(0, (long) batch * d);
        }
        EncoderBlock.linear(backend, a.pooledNorm, batch, d, tensors.projection(), null, config.projection(), a.out);
        return a.out.slice(0, (long) batch * config.projection());
    }

    private DeviceFloats pooled(int batch, EncoderActivations a) {
        int rows = batch * config.tokens(), d = config.width();
        backend.layers().layerNorm(a.residual, tensors.postNormWeight(), tensors.postNormBias(), a.normed, a.mean,
                a.rstd, rows, d, config.layerNormEps());
        AttentionPoolingHead.forward(backend, config, batch, tensors.head(), probeQuery, a.normed, a);
        return a.out.slice(0, (long) batch * d);
    }

    @Override
    public void close() {
        parameters.close();
        tokenBias.close();
        if (probeQuery != null) {
            probeQuery.close();
        }
    }
}
