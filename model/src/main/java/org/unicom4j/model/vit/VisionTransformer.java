package org.unicom4j.model.vit;

import java.util.logging.Logger;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;

/**
 * The Unicom ViT on one {@link Backend}: parameters in one arena laid out by {@link ParameterLayout}, gradients
 * in a second arena of the same layout (allocated on first use), BatchNorm running statistics in a third.
 * Forward and backward run on preallocated {@link VitActivations}; nothing is allocated per step.
 *
 * <p>Forward: patchify + GEMM (the stride-p Conv2d), + pos_embed, the blocks, final LayerNorm, the flatten
 * (a reinterpretation of the [batch * N, D] rows) and the BatchNorm head. Backward accumulates into the
 * gradient arena, as PyTorch does; call {@link #zeroGradients()} between steps.
 */
public final class VisionTransformer implements AutoCloseable {
    /** The eps of the head's BatchNorms (spec section 1). */
    public static final float HEAD_BN_EPS = EmbeddingHead.BN_EPS;
    private static final Logger LOG = Logger.getLogger(VisionTransformer.class.getName());
    /** Below this many samples the head's batch statistics are too noisy to train with (spec section 1). */
    private static final int SMALL_BN_BATCH = 16;

    private final Backend backend;
    private final VitConfig config;
    private final ParameterLayout layout;
    private final DeviceFloats parameters;
    private final DeviceFloats statistics;
    private final VitTensors params;
    private final RunningStatistics stats;
    private final long[] batchesTracked = new long[2];
    private final DropPath dropPath = new DropPath(0);
    private DeviceFloats gradients;
    private VitTensors grads;
    private boolean warnedSmallBatch;

    /**
     * A model with every parameter zero and the BatchNorm defaults (running mean 0, variance 1); load a state
     * dict or call {@link VitInitializer#initializeFromScratch} before use.
     */
    public VisionTransformer(Backend backend, VitConfig config) {
        this.backend = backend;
        this.config = config;
        this.layout = ParameterLayout.of(config);
        this.parameters = backend.buffers().allocFloats(layout.parameterCount());
        this.statistics = backend.buffers().allocFloats(layout.statisticCount());
        this.params = VitTensors.view(layout, parameters);
        this.stats = RunningStatistics.view(layout, statistics);
        backend.buffers().fill(stats.bn1Var(), 1f);
        backend.buffers().fill(stats.bn3Var(), 1f);
    }

    public Backend backend() {
        return backend;
    }

    public VitConfig config() {
        return config;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The parameter arena ({@link ParameterLayout#parameterCount()} floats, state-dict order). */
    public DeviceFloats parameters() {
        return parameters;
    }

    /** The gradient arena, same layout as {@link #parameters()}; allocated (zeroed) on first call. */
    public DeviceFloats gradients() {
        if (gradients == null) {
            gradients = backend.buffers().allocFloats(layout.parameterCount());
            grads = VitTensors.view(layout, gradients);
        }
        return gradients;
    }

    /** The running-statistics arena ({@link ParameterLayout#statisticCount()} floats). */
    public DeviceFloats statistics() {
        return statistics;
    }

    public VitTensors tensors() {
        return params;
    }

    public RunningStatistics runningStatistics() {
        return stats;
    }

    /** {@code num_batches_tracked} of feature.1 (index 0) or feature.3 (index 1). */
    public long batchesTracked(int batchNorm) {
        return batchesTracked[batchNorm];
    }

    public void setBatchesTracked(int batchNorm, long count) {
        batchesTracked[batchNorm] = count;
    }

    /** Restarts the stochastic-depth generator, so the next training forwards drop the same branches again. */
    public void seedDropPath(long seed) {
        dropPath.reseed(seed);
    }

    public void zeroGradients() {
        backend.buffers().fill(gradients(), 0f);
    }

    /**
     * Runs images [batch, channels, imageSize, imageSize] through the network and returns the head output
     * [batch, embedding] (a view of the activations). Training mode uses batch statistics in the head (and
     * updates the running ones) and stochastic depth; evaluation mode uses the running statistics.
     */
    public DeviceFloats forward(DeviceFloats images, int batch, VitActivations act, boolean training) {
        forwardFeatures(images, batch, act, training);
        if (training) {
            batchesTracked[0]++;
            batchesTracked[1]++;
            if (batch < SMALL_BN_BATCH && !warnedSmallBatch) {
                warnedSmallBatch = true;
                LOG.warning("training batch of " + batch + " is below " + SMALL_BN_BATCH
                        + ": the BatchNorm head's batch statistics will be noisy");
            }
        }
        EmbeddingHead.forward(backend, config, batch, params, stats, act, training);
        act.lastForwardTrained = training;
        return act.out.slice(0, (long) batch * config.embedding());
    }

    /**
     * Everything up to the final LayerNorm; returns its output flattened to [batch, tokens * width]
     * (token-major, the input of feature.0).
     */
    public DeviceFloats forwardFeatures(DeviceFloats images, int batch, VitActivations act, boolean training) {
        checkBatch(batch, act);
        int rows = batch * config.tokens(), d = config.width();
        backend.layers().patchify(images, act.patches, batch, config.channels(), config.imageSize(), config.imageSize(),
                config.patch());
        DeviceFloats x = act.residual(0);
        // the stride-p Conv2d: weight [D, C, p, p] is [D, C*p*p], the column order patchify writes
        backend.gemm().multiply(1f, Matrix.of(act.patches, rows, config.patchDim()), Matrix.of(params.patchWeight(),
                d, config.patchDim()).transpose(), 0f, Matrix.of(x, rows, d));
        backend.layers().addBias(x, params.patchBias(), rows, d);
        backend.layers().addBias(x, params.posEmbed(), batch, config.flatDim()); // pos_embed broadcast over the batch
        for (int i = 0; i < config.depth(); i++) {
            float[][] drop = act.dropScales[i];
            double rate = training ? config.blockDropPathRate(i) : 0.0;
            dropPath.draw(rate, drop[0], batch);
            dropPath.draw(rate, drop[1], batch);
            TransformerBlock.forward(backend, config, batch, params.blocks()[i], act.block(i), act.residual(i),
                    act.residual(i + 1), act.branch, drop);
        }
        backend.layers().layerNorm(act.residual(config.depth()), params.normWeight(), params.normBias(), act.normOut,
                act.normMean, act.normRstd, rows, d, TransformerBlock.LAYER_NORM_EPS);
        act.lastBatch = batch;
        act.lastForwardTrained = false;
        return act.normOut.slice(0, (long) batch * config.flatDim());
    }

    /**
     * Backward of the last training-mode {@link #forward}: given dLoss/dOutput [batch, embedding], accumulates
     * dLoss/dParameter into {@link #gradients()}.
     */
    public void backward(DeviceFloats dOut, VitActivations act) {
        if (!act.isTraining()) {
            throw new IllegalStateException("backward needs activations from VitActivations.forTraining");
        }
        if (!act.lastForwardTrained) {
            throw new IllegalStateException("backward needs a training-mode forward on these activations first");
        }
        gradients();
        int batch = act.lastBatch, rows = batch * config.tokens(), d = config.width();
        VitActivations.Gradients s = act.gradients;
        EmbeddingHead.backward(backend, config, batch, params, grads, act, dOut);
        backend.buffers().fill(s.dResidual(), 0f);
        backend.layers().layerNormBackward(s.dNormIn(), act.residual(config.depth()), params.normWeight(), act.normMean,
                act.normRstd, s.dResidual(), grads.normWeight(), grads.normBias(), rows, d);
        for (int i = config.depth() - 1; i >= 0; i--) {
            TransformerBlock.backward(backend, config, batch, params.blocks()[i], grads.blocks()[i], act.block(i),
                    act.residual(i), s, act.dropScales[i]);
        }
        backend.gemm().multiply(1f, Matrix.of(s.dResidual(), rows, d).transpose(), Matrix.of(act.patches, rows,
                config.patchDim()), 1f, Matrix.of(grads.patchWeight(), d, config.patchDim()));
        backend.layers().biasGradient(s.dResidual(), rows, d, grads.patchBias());
        backend.layers().biasGradient(s.dResidual(), batch, config.flatDim(), grads.posEmbed());
    }

    private void checkBatch(int batch, VitActivations act) {
        if (!act.config().equals(config)) {
            throw new IllegalArgumentException("activations are for " + act.config() + ", model is " + config);
        }
        if (batch < 1 || batch > act.maxBatch()) {
            throw new IllegalArgumentException("batch = " + batch + ", activations hold 1.." + act.maxBatch());
        }
    }

    @Override
    public void close() {
        parameters.close();
        statistics.close();
        if (gradients != null) {
            gradients.close();
        }
    }
}
