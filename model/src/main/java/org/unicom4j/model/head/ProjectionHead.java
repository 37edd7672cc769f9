package org.unicom4j.model.head;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceBuffer;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.StateDict;

/**
 * Linear(in, out) with bias, then BatchNorm1d(out) when configured, on a backend: the trainable part of a UniFEx
 * head (the dropout before it is applied to the input rows by the caller, since the input is host data). Parameters
 * live in one arena [weight (out x in) | bias | BN scale | BN shift] with a gradient arena of the same layout, so an
 * optimiser updates them as one group; the BatchNorm running statistics in another [mean | var].
 */
public final class ProjectionHead implements AutoCloseable {
    /** PyTorch's BatchNorm1d defaults. */
    public static final float BN_EPS = 1e-5f;
    public static final float BN_MOMENTUM = 0.1f;

    private final Backend backend;
    private final HeadConfig config;
    private final DeviceFloats parameters;
    private final DeviceFloats gradients;
    private final DeviceFloats statistics;
    private final int maxBatch;
    private final DeviceFloats linear;
    private final DeviceFloats normalised;
    private final DeviceFloats bnMean;
    private final DeviceFloats bnRstd;
    private final DeviceFloats dLinear;
    private long batchesTracked;

    /** A head for batches of up to {@code maxBatch} rows, initialised as PyTorch does (see {@link #initialize}). */
    public ProjectionHead(Backend backend, HeadConfig config, int maxBatch) {
        this.backend = backend;
        this.config = config;
        this.maxBatch = maxBatch;
        int out = config.out();
        this.parameters = backend.buffers().allocFloats(config.parameterCount());
        this.gradients = backend.buffers().allocFloats(config.parameterCount());
        this.statistics = config.batchNorm() ? backend.buffers().allocFloats(2L * out) : null;
        this.linear = backend.buffers().allocFloats((long) maxBatch * out);
        this.normalised = config.batchNorm() ? backend.buffers().allocFloats((long) maxBatch * out) : null;
        this.bnMean = config.batchNorm() ? backend.buffers().allocFloats(out) : null;
        this.bnRstd = config.batchNorm() ? backend.buffers().allocFloats(out) : null;
        this.dLinear = config.batchNorm() ? backend.buffers().allocFloats((long) maxBatch * out) : null;
    }

    /**
     * PyTorch's initialisation: weight and bias uniform in +-1/sqrt(in) (nn.Linear's kaiming-uniform with a =
     * sqrt(5)), BatchNorm scale 1, shift 0, running mean 0, variance 1; seeded.
     */
    public void initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1 / Math.sqrt(config.in());
        float[] p = new float[(int) config.parameterCount()];
        int linearCount = config.out() * config.in() + config.out();
        for (int i = 0; i < linearCount; i++) {
            p[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        if (config.batchNorm()) {
            java.util.Arrays.fill(p, linearCount, linearCount + config.out(), 1f);
            float[] s = new float[2 * config.out()];
            java.util.Arrays.fill(s, config.out(), s.length, 1f);
            backend.buffers().upload(s, statistics);
        }
        backend.buffers().upload(p, parameters);
        batchesTracked = 0;
    }

    /**
     * Training forward of {@code batch} rows x [batch, in] (already dropped out): returns the output [batch, out]
     * (a view valid until the next call); BatchNorm uses the batch statistics and updates the running ones.
     */
    public DeviceFloats forwardTrain(DeviceFloats x, int batch) {
        checkBatch(batch);
        DeviceFloats y = linear(x, batch, linear);
        if (!config.batchNorm()) {
            return y;
        }
        int out = config.out();
        backend.layers().batchNormTrain(y, bnScale(parameters), bnShift(parameters), normalised, bnMean, bnRstd,
                statistics.slice(0, out), statistics.slice(out, out), batch, out, BN_EPS, BN_MOMENTUM);
        batchesTracked++;
        return normalised.slice(0, (long) batch * out);
    }

    /**
     * Backward of the last {@link #forwardTrain} on the same x: overwrites the gradient arena with dLoss/dparameters
     * from dOut [batch, out]. No input gradient: the backbone is frozen.
     */
    public void backward(DeviceFloats dOut, DeviceFloats x, int batch) {
        checkBatch(batch);
        int out = config.out(), in = config.in();
        backend.buffers().fill(gradients, 0f);
        DeviceFloats dy = dOut;
        if (config.batchNorm()) {
            backend.layers().batchNormBackward(dOut, linear, bnScale(parameters), bnMean, bnRstd, dLinear,
                    bnScale(gradients), bnShift(gradients), batch, out);
            dy = dLinear;
        }
        backend.gemm().multiply(1f, Matrix.of(dy, batch, out).transpose(), Matrix.of(x, batch, in), 0f,
                Matrix.of(weight(gradients), out, in));
        backend.layers().biasGradient(dy, batch, out, bias(gradients));
    }

    /** Evaluation-mode outputs of x [rows, in] into out [rows, out] (rows up to the maximum batch). */
    public void forwardEval(DeviceFloats x, int rows, DeviceFloats out) {
        checkBatch(rows);
        DeviceFloats y = linear(x, rows, config.batchNorm() ? linear : out);
        if (config.batchNorm()) {
            int n = config.out();
            backend.layers().batchNormEval(y, bnScale(parameters), bnShift(parameters), statistics.slice(0, n),
                    statistics.slice(n, n), out, rows, n, BN_EPS);
        }
    }

    private DeviceFloats linear(DeviceFloats x, int rows, DeviceFloats into) {
        int out = config.out(), in = config.in();
        DeviceFloats y = into.slice(0, (long) rows * out);
        backend.gemm().multiply(1f, Matrix.of(x, rows, in), Matrix.of(weight(parameters), out, in).transpose(), 0f,
                Matrix.of(y, rows, out));
        backend.layers().addBias(y, bias(parameters), rows, out);
        return y;
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("head batch " + batch + " outside [1, " + maxBatch + "]");
        }
    }

    private DeviceFloats weight(DeviceFloats arena) {
        return arena.slice(0, (long) config.out() * config.in());
    }

    private DeviceFloats bias(DeviceFloats arena) {
        return arena.slice((long) config.out() * config.in(), config.out());
    }

    private DeviceFloats bnScale(DeviceFloats arena) {
        return arena.slice((long) config.out() * config.in() + config.out(), config.out());
    }

    private DeviceFloats bnShift(DeviceFloats arena) {
        return arena.slice((long) config.out() * config.in() + 2L * config.out(), config.out());
    }

    public HeadConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public DeviceFloats parameters() {
        return parameters;
    }

    public DeviceFloats gradients() {
        return gradients;
    }

    /** The BatchNorm running statistics [mean | var], or null without BatchNorm. */
    public DeviceFloats statistics() {
        return statistics;
    }

    public long batchesTracked() {
        return batchesTracked;
    }

    public void setBatchesTracked(long count) {
        batchesTracked = count;
    }

    /**
     * The head as a state dict in PyTorch's key names under {@code prefix} ({@code weight}, {@code bias},
     * {@code bn.weight}, {@code bn.bias}, {@code bn.running_mean}, {@code bn.running_var},
     * {@code bn.num_batches_tracked}).
     */
    public List<HostTensor> tensors(String prefix) {
        int out = config.out(), in = config.in();
        float[] p = backend.buffers().download(parameters);
        List<HostTensor> t = new ArrayList<>();
        t.add(HostTensor.ofFloats(prefix + "weight", java.util.Arrays.copyOfRange(p, 0, out * in), new long[] {out,
            in}));
        t.add(HostTensor.ofFloats(prefix + "bias", java.util.Arrays.copyOfRange(p, out * in, out * in + out),
                new long[] {out}));
        if (config.batchNorm()) {
            float[] s = backend.buffers().download(statistics);
            int at = out * in + out;
            t.add(HostTensor.ofFloats(prefix + "bn.weight", java.util.Arrays.copyOfRange(p, at, at + out),
                    new long[] {out}));
            t.add(HostTensor.ofFloats(prefix + "bn.bias", java.util.Arrays.copyOfRange(p, at + out, at + 2 * out),
                    new long[] {out}));
            t.add(HostTensor.ofFloats(prefix + "bn.running_mean", java.util.Arrays.copyOfRange(s, 0, out),
                    new long[] {out}));
            t.add(HostTensor.ofFloats(prefix + "bn.running_var", java.util.Arrays.copyOfRange(s, out, 2 * out),
                    new long[] {out}));
            t.add(HostTensor.ofLongs(prefix + "bn.num_batches_tracked", new long[] {batchesTracked}, new long[0]));
        }
        return t;
    }

    /** Loads what {@link #tensors} wrote (shapes checked: a mismatch is a one-line bad-input error). */
    public void load(StateDict dict, String prefix) {
        int out = config.out(), in = config.in();
        float[] p = new float[(int) config.parameterCount()];
        System.arraycopy(dict.require(prefix + "weight", out, in).toFloatArray(), 0, p, 0, out * in);
        System.arraycopy(dict.require(prefix + "bias", out).toFloatArray(), 0, p, out * in, out);
        if (config.batchNorm()) {
            int at = out * in + out;
            System.arraycopy(dict.require(prefix + "bn.weight", out).toFloatArray(), 0, p, at, out);
            System.arraycopy(dict.require(prefix + "bn.bias", out).toFloatArray(), 0, p, at + out, out);
            float[] s = new float[2 * out];
            System.arraycopy(dict.require(prefix + "bn.running_mean", out).toFloatArray(), 0, s, 0, out);
            System.arraycopy(dict.require(prefix + "bn.running_var", out).toFloatArray(), 0, s, out, out);
            backend.buffers().upload(s, statistics);
            batchesTracked = dict.require(prefix + "bn.num_batches_tracked").toLongArray()[0];
        }
        backend.buffers().upload(p, parameters);
    }

    @Override
    public void close() {
        for (DeviceBuffer b : new DeviceBuffer[] {parameters, gradients, statistics, linear, normalised, bnMean, bnRstd,
                dLinear}) {
            if (b != null) {
                b.close();
            }
        }
    }
}
