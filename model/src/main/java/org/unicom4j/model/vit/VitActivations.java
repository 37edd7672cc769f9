package org.unicom4j.model.vit;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;

/**
 * Every activation of a forward pass for batches of up to {@link #maxBatch()} images, allocated once. In
 * training form every block keeps what its backward needs, and the backward scratch buffers are included;
 * in inference form the blocks share one set of buffers and the residual stream ping-pongs between two.
 * Layouts are row-major with a leading batch index, so a smaller batch uses a prefix of each buffer.
 */
public final class VitActivations implements AutoCloseable {

    /** What one block saves: LayerNorm outputs and statistics, qkv, attention probabilities, the attention
     * output, the mid-block residual and the ReLU6 output (its mask equals that of the pre-activation). */
    record Block(DeviceFloats ln1Out, DeviceFloats ln1Mean, DeviceFloats ln1Rstd, DeviceFloats qkv,
                 DeviceFloats probs, DeviceFloats attnOut, DeviceFloats mid, DeviceFloats ln2Out,
                 DeviceFloats ln2Mean, DeviceFloats ln2Rstd, DeviceFloats hidden) {
    }

    /** Backward scratch: gradients of the residual stream, of a branch output, of a LayerNorm input (also the
     * flattened features), of the attention output, of qkv, of the probabilities and of the MLP hidden layer. */
    record Gradients(DeviceFloats dResidual, DeviceFloats dBranch, DeviceFloats dNormIn, DeviceFloats dAttnOut,
                     DeviceFloats dQkv, DeviceFloats dProbs, DeviceFloats dHidden, DeviceFloats dF2,
                     DeviceFloats dY1, DeviceFloats dF0) {
    }

    private final VitConfig config;
    private final int maxBatch;
    private final boolean training;
    private final ActivationArena arena;
    final DeviceFloats patches;
    private final DeviceFloats[] residual;
    private final Block[] blocks;
    final DeviceFloats branch;
    final DeviceFloats normOut;
    final DeviceFloats normMean;
    final DeviceFloats normRstd;
    final DeviceFloats f0;
    final DeviceFloats bn1Mean;
    final DeviceFloats bn1Rstd;
    final DeviceFloats y1;
    final DeviceFloats f2;
    final DeviceFloats bn3Mean;
    final DeviceFloats bn3Rstd;
    final DeviceFloats out;
    final Gradients gradients;
    /** Per block, the drop-path multipliers of the attention [0] and MLP [1] branches, per sample. */
    final float[][][] dropScales;
    /** Batch size and mode of the last forward pass, checked by the backward pass. */
    int lastBatch;
    boolean lastForwardTrained;

    private VitActivations(Backend backend, VitConfig config, int maxBatch, boolean training) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("activations: maxBatch must be >= 1, got " + maxBatch);
        }
        this.config = config;
        this.maxBatch = maxBatch;
        this.training = training;
        long b = maxBatch, n = config.tokens(), d = config.width(), rows = b * n;
        long hidden = config.mlpHidden(), emb = config.embedding();
        long probs = b * config.heads() * n * n;
        ActivationArena a = new ActivationArena();
        int hPatches = a.request("patches", rows * config.patchDim());
        int[] hResidual = new int[training ? config.depth() + 1 : 2];
        for (int i = 0; i < hResidual.length; i++) {
            hResidual[i] = a.request("residual " + i, rows * d);
        }
        int[][] hBlocks = new int[training ? config.depth() : 1][];
        for (int i = 0; i < hBlocks.length; i++) {
            hBlocks[i] = new int[] {a.request("ln1", rows * d), a.request("ln1 mean", rows),
                    a.request("ln1 rstd", rows), a.request("qkv", rows * 3 * d), a.request("attention", probs),
                    a.request("attention out", rows * d), a.request("mid", rows * d), a.request("ln2", rows * d),
                    a.request("ln2 mean", rows), a.request("ln2 rstd", rows), a.request("mlp hidden", rows * hidden)};
        }
        int hBranch = a.request("branch", rows * d);
        int[] hHead = {a.request("norm", rows * d), a.request("norm mean", rows), a.request("norm rstd", rows),
                a.request("feature.0", b * d), a.request("bn1 mean", d), a.request("bn1 rstd", d),
                a.request("feature.1", b * d), a.request("feature.2", b * emb), a.request("bn3 mean", emb),
                a.request("bn3 rstd", emb), a.request("output", b * emb)};
        int[] hGrad = training ? new int[] {a.request("dResidual", rows * d), a.request("dBranch", rows * d),
                a.request("dNormIn", rows * d), a.request("dAttnOut", rows * d), a.request("dQkv", rows * 3 * d),
                a.request("dProbs", probs), a.request("dHidden", rows * hidden), a.request("dF2", b * emb),
                a.request("dY1", b * d), a.request("dF0", b * d)} : null;
        a.allocate(backend);
        this.arena = a;
        patches = a.get(hPatches);
        residual = new DeviceFloats[hResidual.length];
        for (int i = 0; i < residual.length; i++) {
            residual[i] = a.get(hResidual[i]);
        }
        blocks = new Block[hBlocks.length];
        for (int i = 0; i < blocks.length; i++) {
            int[] h = hBlocks[i];
            blocks[i] = new Block(a.get(h[0]), a.get(h[1]), a.get(h[2]), a.get(h[3]), a.get(h[4]), a.get(h[5]),
                    a.get(h[6]), a.get(h[7]), a.get(h[8]), a.get(h[9]), a.get(h[10]));
        }
        branch = a.get(hBranch);
        normOut = a.get(hHead[0]);
        normMean = a.get(hHead[1]);
        normRstd = a.get(hHead[2]);
        f0 = a.get(hHead[3]);
        bn1Mean = a.get(hHead[4]);
        bn1Rstd = a.get(hHead[5]);
        y1 = a.get(hHead[6]);
        f2 = a.get(hHead[7]);
        bn3Mean = a.get(hHead[8]);
        bn3Rstd = a.get(hHead[9]);
        out = a.get(hHead[10]);
        gradients = training ? new Gradients(a.get(hGrad[0]), a.get(hGrad[1]), a.get(hGrad[2]), a.get(hGrad[3]),
                a.get(hGrad[4]), a.get(hGrad[5]), a.get(hGrad[6]), a.get(hGrad[7]), a.get(hGrad[8]),
                a.get(hGrad[9])) : null;
        dropScales = new float[config.depth()][2][maxBatch];
    }

    /** Activations for training (forward and backward) on batches of up to {@code maxBatch}. */
    public static VitActivations forTraining(Backend backend, VitConfig config, int maxBatch) {
        return new VitActivations(backend, config, maxBatch, true);
    }

    /** Activations for forward passes only: one block's worth of buffers, reused by every block. */
    public static VitActivations forInference(Backend backend, VitConfig config, int maxBatch) {
        return new VitActivations(backend, config, maxBatch, false);
    }

    /** Floats of device memory these activations hold. */
    public static long floatsNeeded(VitConfig config, int maxBatch, boolean training) {
        long b = maxBatch, n = config.tokens(), d = config.width(), rows = b * n, h = config.mlpHidden();
        long probs = b * config.heads() * n * n, emb = config.embedding();
        long block = rows * (7 * d + 4 + h) + probs;
        long head = rows * (d + 2) + 2 * b * d + 2 * d + 2 * b * emb + 2 * emb;
        long grads = rows * (7 * d + h) + probs + b * emb + 2 * b * d;
        int blocks = training ? config.depth() : 1, residuals = training ? config.depth() + 1 : 2;
        return rows * config.patchDim() + residuals * rows * d + blocks * block + rows * d + head
                + (training ? grads : 0);
    }

    public VitConfig config() {
        return config;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public boolean isTraining() {
        return training;
    }

    /** Floats of device memory allocated. */
    public long totalFloats() {
        return arena.totalFloats();
    }

    /** The residual stream entering block {@code i} (i = depth: leaving the last block). */
    DeviceFloats residual(int i) {
        return residual[training ? i : i % 2];
    }

    Block block(int i) {
        return blocks[training ? i : 0];
    }

    /** The head's output [batch, embedding] of the last forward pass (raw BatchNorm output). */
    public DeviceFloats output() {
        return out;
    }

    /** The final LayerNorm's output of the last forward pass, flattened [batch, tokens * width] token-major. */
    public DeviceFloats features() {
        return normOut;
    }

    @Override
    public void close() {
        arena.close();
    }
}
