package org.unicom4j.model.sscq;

import java.util.SplittableRandom;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Codebooks;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.model.vit.VisionTransformer;
import org.unicom4j.model.vit.VitInitializer;

/**
 * An SSCQ network on one {@link Backend} (spec sscq.md): the encoder ViT, then f = W2 relu(W1 x + b1) + b2 split
 * into {@code books} sub-vectors, and the codebooks. The head's tensors and the codebooks share one parameter arena
 * (and one gradient arena), the encoder keeps its own. Training: {@link #forward} -> {@link #quantise} (the soft
 * quantiser's z) -> the loss -> {@link #backward}, which passes dL/dz back through the quantiser (into dL/df and the
 * codebooks' gradient) and dL/df through the head and the encoder, accumulating as PyTorch does (call
 * {@link #zeroGradients()} between steps). Retrieval: evaluation-mode {@link #forward}, then {@link #assignCodes}.
 */
public final class SscqModel implements AutoCloseable {
    /** The codewords start at N(0, 0.25^2), the scale of the freshly initialised head's outputs (about 0.24). */
    static final double CODEWORD_STD = 0.25;

    private final Backend backend;
    private final SscqConfig config;
    private final VisionTransformer encoder;
    private final HeadLayout layout;
    private final DeviceFloats head;
    private final DeviceFloats w1;
    private final DeviceFloats b1;
    private final DeviceFloats w2;
    private final DeviceFloats b2;
    private final Codebooks codebooks;
    private DeviceFloats headGradients;
    /** Views of {@link #headGradients}: dW1, db1, dW2, db2, dCodebooks. */
    private DeviceFloats[] gradientViews;

    /** A model with every parameter zero (and the encoder's BatchNorm defaults); initialise or load it before use. */
    public SscqModel(Backend backend, SscqConfig config) {
        this.backend = backend;
        this.config = config;
        this.layout = HeadLayout.of(config);
        this.encoder = new VisionTransformer(backend, config.encoder());
        this.head = backend.buffers().allocFloats(layout.size());
        this.w1 = layout.slice(head, 0);
        this.b1 = layout.slice(head, 1);
        this.w2 = layout.slice(head, 2);
        this.b2 = layout.slice(head, 3);
        this.codebooks = layout.codebooks(head);
    }

    public Backend backend() {
        return backend;
    }

    public SscqConfig config() {
        return config;
    }

    public VisionTransformer encoder() {
        return encoder;
    }

    /** The head's tensors and the codebooks in one arena ({@link HeadLayout} order). */
    public DeviceFloats headParameters() {
        return head;
    }

    /** Their gradients, same layout; allocated (zeroed) on first call. */
    public DeviceFloats headGradients() {
        if (headGradients == null) {
            headGradients = backend.buffers().allocFloats(layout.size());
            gradientViews = new DeviceFloats[HeadLayout.KEYS.length];
            for (int i = 0; i < gradientViews.length; i++) {
                gradientViews[i] = layout.slice(headGradients, i);
            }
        }
        return headGradients;
    }

    /** The view of one of the head's tensors by its state-dict key ({@code head.0.weight} ... {@code codebooks}). */
    public DeviceFloats headTensor(String key) {
        return layout.slice(head, keyIndex(key));
    }

    /** The same view of the head's gradients. */
    public DeviceFloats headGradient(String key) {
        int i = keyIndex(key);
        headGradients();
        return gradientViews[i];
    }

    private static int keyIndex(String key) {
        int i = java.util.Arrays.asList(HeadLayout.KEYS).indexOf(key);
        if (i < 0) {
            throw new IllegalArgumentException("no head tensor '" + key + "' (known: "
                    + String.join(", ", HeadLayout.KEYS) + ")");
        }
        return i;
    }

    public Codebooks codebooks() {
        return codebooks;
    }

    HeadLayout layout() {
        return layout;
    }

    /**
     * From scratch with {@code seed}: the encoder as {@link VitInitializer} does, the head's Linear layers as
     * PyTorch's nn.Linear does (weights and biases uniform in +-1/sqrt(fan_in)), the codewords N(0, 0.25^2).
     */
    public void initializeFromScratch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        VitInitializer.initializeFromScratch(encoder, random.nextLong());
        float[] values = new float[Math.toIntExact(layout.size())];
        double bound1 = 1 / Math.sqrt(config.encoder().embedding()), bound2 = 1 / Math.sqrt(config.hidden());
        for (int i = 0; i < 4; i++) {
            double bound = i < 2 ? bound1 : bound2;
            int from = (int) layout.offset(i), to = from + (int) layout.count(i);
            for (int j = from; j < to; j++) {
                values[j] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
        }
        for (int j = (int) layout.offset(4); j < values.length; j++) {
            values[j] = (float) (random.nextGaussian() * CODEWORD_STD);
        }
        backend.buffers().upload(values, head);
    }

    public void zeroGradients() {
        encoder.zeroGradients();
        backend.buffers().fill(headGradients(), 0f);
    }

    /**
     * Images [batch, channels, size, size] -> the features f [batch, books * subDim] (a view of the activations).
     * Training mode uses the encoder's batch statistics and stochastic depth; evaluation its running statistics.
     */
    public DeviceFloats forward(DeviceFloats images, int batch, SscqActivations act, boolean training) {
        if (training && !act.isTraining()) {
            throw new IllegalArgumentException("a training forward needs SscqActivations.forTraining");
        }
        DeviceFloats x = encoder.forward(images, batch, act.encoder, training);
        return head(x, batch, act);
    }

    /** The head on encoder outputs x [batch, embedding] already on the device (e.g. from a folded encoder). */
    public DeviceFloats head(DeviceFloats x, int batch, SscqActivations act) {
        int emb = config.encoder().embedding(), hidden = config.hidden(), out = config.featureDim();
        var gemm = backend.gemm();
        gemm.multiply(1f, Matrix.of(x, batch, emb), Matrix.of(w1, hidden, emb).transpose(), 0f,
                Matrix.of(act.hidden, batch, hidden));
        backend.layers().addBias(act.hidden, b1, batch, hidden);
        backend.layers().relu(act.hidden, act.activated, batch * hidden);
        gemm.multiply(1f, Matrix.of(act.activated, batch, hidden), Matrix.of(w2, out, hidden).transpose(), 0f,
                Matrix.of(act.features, batch, out));
        backend.layers().addBias(act.features, b2, batch, out);
        act.lastBatch = batch;
        act.lastEncoderOutput = x;
        return act.features();
    }

    /** The soft quantiser on the last forward's features: writes and returns z (and keeps its probabilities). */
    public DeviceFloats quantise(SscqActivations act) {
        backend.quantisation().softQuantise(act.features, act.lastBatch, codebooks, (float) config.temperature(),
                act.probabilities, act.quantised);
        return act.quantised();
    }

    /**
     * Backward of the last training forward and {@link #quantise}, given dL/df and dL/dz [batch, books * subDim]
     * (dFeatures is used as scratch: it ends holding the total dL/df). Accumulates into the head's and the
     * encoder's gradients.
     */
    public void backward(DeviceFloats dFeatures, DeviceFloats dQuantised, SscqActivations act) {
        backwardHead(dFeatures, dQuantised, act);
        encoder.backward(act.dEncoder, act.encoder);
    }

    /**
     * {@link #backward} down to the encoder's output: accumulates the head's and the codebooks' gradients and
     * leaves dL/dx [batch, embedding] in {@link SscqActivations#encoderGradient()}.
     */
    public void backwardHead(DeviceFloats dFeatures, DeviceFloats dQuantised, SscqActivations act) {
        int batch = act.lastBatch, emb = config.encoder().embedding(), hidden = config.hidden();
        int out = config.featureDim();
        headGradients();
        DeviceFloats[] g = gradientViews;
        backend.quantisation().softQuantiseBackward(dQuantised, act.features, act.quantised, act.probabilities, batch,
                codebooks, (float) config.temperature(), dFeatures, g[4]);
        var gemm = backend.gemm();
        gemm.multiply(1f, Matrix.of(dFeatures, batch, out).transpose(), Matrix.of(act.activated, batch, hidden), 1f,
                Matrix.of(g[2], out, hidden));
        backend.layers().biasGradient(dFeatures, batch, out, g[3]);
        gemm.multiply(1f, Matrix.of(dFeatures, batch, out), Matrix.of(w2, out, hidden), 0f,
                Matrix.of(act.dActivated, batch, hidden));
        backend.layers().reluBackward(act.hidden, act.dActivated, act.dActivated, batch * hidden);
        gemm.multiply(1f, Matrix.of(act.dActivated, batch, hidden).transpose(), Matrix.of(act.lastEncoderOutput, batch,
                emb), 1f, Matrix.of(g[0], hidden, emb));
        backend.layers().biasGradient(act.dActivated, batch, hidden, g[1]);
        gemm.multiply(1f, Matrix.of(act.dActivated, batch, hidden), Matrix.of(w1, hidden, emb), 0f,
                Matrix.of(act.dEncoder, batch, emb));
    }

    /** The hard codes [batch, books] of features f [batch, books * subDim]: the nearest codeword per book. */
    public void assignCodes(DeviceFloats features, int batch, DeviceInts codes) {
        backend.quantisation().assignCodes(features, batch, codebooks, codes);
    }

    @Override
    public void close() {
        encoder.close();
        head.close();
        if (headGradients != null) {
            headGradients.close();
        }
    }
}
