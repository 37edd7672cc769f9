package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.LANES;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.SPECIES;
import static org.unicom4j.kernels.cpu.SampledCosineWorkspace.atLeast;

import java.util.Arrays;
import java.util.function.Predicate;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Backward of the fused sampled-cosine kernel. Per panel of {@link #PANEL} sampled classes: gather their
 * sampled dims, pack s_ij = dCos_ij / |w_j| by row blocks and by class groups, then two products with
 * {@link GemmMicroKernel}: t_j = sum_i s_ij e_hat_i (finished into dW, scattered over the sampled rows and
 * dims) and this chunk's share of u_i = sum_j s_ij w_j (summed over chunks in order at the end, then
 * finished into dE). The normalisations' projections come from the products themselves
 * (w_j . t_j and e_hat_i . u_i), so cos is not read. Panels go to threads: each dW row has one writer.
 */
final class SampledCosineBackward extends SampledCosinePass {
    /** Classes per panel: the K of the dE product, a multiple of MR for the dW tiles. */
    static final int PANEL = 32 * MR;
    /** Vectors of MR floats: one row's values for a class group of MR classes. */
    private static final VectorSpecies<Float> QUARTER = FloatVector.SPECIES_128;

    private final ParallelLoop.Range body = this::panels;
    private final Predicate<SampledCosineWorkspace> notYetUsedThisCall = ws -> ws.epoch != this.epoch;
    /** Normalised gathered E as [dim block][row][NR dims]. */
    private float[] packedRows = new float[0];
    private float[] inverseRowNorms = new float[0];
    /** Counts calls, so a workspace knows whether its partial sums belong to the running one. */
    private long epoch;

    SampledCosineBackward(ParallelLoop loop, WorkspacePool<SampledCosineWorkspace> workspaces) {
        super(loop, workspaces);
    }

    void run(CpuFloats dCos, CpuFloats e, int batch, int embDim, CpuFloats w, CpuInts classIdx, int sampledClasses,
             CpuInts dimIdx, int sampledDims, CpuFloats eNorms, CpuFloats wNorms, CpuFloats dE, CpuFloats dW) {
        bind(e, batch, embDim, w, classIdx, sampledClasses, dimIdx, sampledDims, wNorms);
        this.dCos = dCos.array();
        this.dCosOff = dCos.offset();
        this.dW = dW.array();
        this.dWOff = dW.offset();
        try {
            packRows(eNorms.array(), eNorms.offset());
            epoch++;
            int panels = ceilDiv(sampledClasses, PANEL);
            loop.forRange(panels, 4L * batch * PANEL * sampledDims, body);
            reduceIntoDE(dE.array(), dE.offset());
        } finally {
            unbind();
        }
    }

    /** packedRows[tb][i][l] = E[i, dims[tb*NR + l]] / eNorms[i], zero past the last sampled dim. */
    private void packRows(float[] eNorms, int eNormOff) {
        int k = sampledDims, blocks = ceilDiv(k, NR);
        packedRows = atLeast(packedRows, blocks * batch * NR);
        inverseRowNorms = atLeast(inverseRowNorms, batch);
        float[] packed = packedRows;
        for (int i = 0; i < batch; i++) {
            inverseRowNorms[i] = 1f / eNorms[eNormOff + i];
        }
        // Block-major writes: row-major ones would step 16 KB at a time, all into one L1 set.
        for (int tb = 0; tb < blocks; tb++) {
            for (int i = 0; i < batch; i++) {
                int row = eOff + i * embDim, dst = (tb * batch + i) * NR;
                float inv = inverseRowNorms[i];
                for (int l = 0; l < NR; l++) {
                    int t = tb * NR + l;
                    packed[dst + l] = t < k ? e[row + dimIdx[dimOff + t]] * inv : 0f;
                }
            }
        }
    }

    /** One chunk of panels, on a workspace of its own so each chunk's dE share is summed separately. */
    private void panels(int from, int to) {
        SampledCosineWorkspace ws = workspaces.borrow(notYetUsedThisCall);
        try {
            int dimsPadded = ceilDiv(sampledDims, NR) * NR, rowsPadded = roundUp(batch, MR);
            ws.prototypes = atLeast(ws.prototypes, dimsPadded * PANEL);
            ws.gradByRows = atLeast(ws.gradByRows, rowsPadded * PANEL);
            ws.gradByClasses = atLeast(ws.gradByClasses, classGroupStride() * (PANEL / MR));
            ws.classGradients = atLeast(ws.classGradients, MR * dimsPadded);
            ws.dEPartial = atLeast(ws.dEPartial, rowsPadded * dimsPadded);
            Arrays.fill(ws.dEPartial, 0, rowsPadded * dimsPadded, 0f);
            ws.epoch = epoch;
            ws.chunkStart = from;
            for (int p = from; p < to; p++) {
                panel(ws, p);
            }
        } finally {
            workspaces.giveBack(ws);
        }
    }

    /** One panel of sampled classes: gather W, pack dCos, dW tiles (scattered), dE tiles (this thread's sum). */
    private void panel(SampledCosineWorkspace ws, int p) {
        int j0 = p * PANEL, n = Math.min(PANEL, sampledClasses - j0);
        packPrototypes(ws, j0, n);
        packGradients(ws, j0, n);
        scatterPrototypeGradients(ws, j0, n);
        accumulateRowGradients(ws, n);
    }

    /** prototypes[tb][c][l] = W[classIdx[j0 + c], dims[tb*NR + l]], zero for padding classes and dims. */
    private void packPrototypes(SampledCosineWorkspace ws, int j0, int n) {
        int k = sampledDims, dimsPadded = ceilDiv(k, NR) * NR, panelWidth = PANEL;
        float[] panel = ws.prototypes;
        int[] rows = ws.rowStarts;
        for (int c = 0; c < panelWidth; c++) {
            rows[c] = c < n ? wOff + classIdx[classOff + j0 + c] * embDim : 0;
            ws.inverseNorms[c] = c < n ? 1f / wNorms[wNormOff + j0 + c] : 0f;
        }
        // Dim-major, as in the forward: one step's loads come from every row of the panel.
        for (int t = 0; t < dimsPadded; t++) {
            int base = (t / NR) * panelWidth * NR + t % NR, c = 0;
            if (t < k) {
                int d = dimIdx[dimOff + t];
                for (; c < n; c++) {
                    panel[base + c * NR] = w[rows[c] + d];
                }
            }
            for (; c < panelWidth; c++) {
                panel[base + c * NR] = 0f;
            }
        }
    }

    /**
     * Packs s_ij = dCos_ij / |w_j| for the panel twice: by row blocks (A of the dE product) and by class
     * groups (A of the dW product).
     */
    private void packGradients(SampledCosineWorkspace ws, int j0, int n) {
        float[] byRows = ws.gradByRows, byClasses = ws.gradByClasses, inv = ws.inverseNorms, scaled = ws.blockRows;
        float[] g = dCos;
        int cs = sampledClasses, panel = PANEL, groups = classGroupStride();
        for (int rb = 0; rb * MR < batch; rb++) {
            for (int r = 0; r < MR; r++) {
                int i = rb * MR + r, gi = dCosOff + i * cs + j0, dst = r * panel, c = 0;
                if (i < batch) {
                    for (; c <= n - LANES; c += LANES) {
                        FloatVector.fromArray(SPECIES, g, gi + c).mul(FloatVector.fromArray(SPECIES, inv, c))
                                .intoArray(scaled, dst + c);
                    }
                    for (; c < n; c++) {
                        scaled[dst + c] = g[gi + c] * inv[c];
                    }
                }
                for (; c < panel; c++) {
                    scaled[dst + c] = 0f;
                }
                // By class groups: MR consecutive classes of one row are MR consecutive floats.
                if (i < batch) {
                    for (int cg = 0; cg < panel / MR; cg++) {
                        FloatVector.fromArray(QUARTER, scaled, dst + cg * MR)
                                .intoArray(byClasses, cg * groups + i * MR);
                    }
                }
            }
            // By row blocks: a 4 x panel transpose, written front to back.
            int base = rb * panel * MR;
            for (int c = 0; c < panel; c++) {
                for (int r = 0; r < MR; r++) {
                    byRows[base + c * MR + r] = scaled[r * panel + c];
                }
            }
        }
    }

    /**
     * dW[classIdx[j], dims] += t_j - w_j (w_j . t_j) / |w_j|^2 with t_j = sum_i s_ij e_hat_i: the
     * normalisation's backward, whose projection w_j . t_j = |w_j| sum_i dCos_ij cos_ij is taken from the
     * product itself. MR classes at a time over all dims; this panel's classes belong to this thread alone.
     */
    private void scatterPrototypeGradients(SampledCosineWorkspace ws, int j0, int n) {
        int k = sampledDims, blocks = ceilDiv(k, NR), dimsPadded = blocks * NR, panel = PANEL;
        float[] protos = ws.prototypes, grads = ws.classGradients;
        for (int cg = 0; cg * MR < n; cg++) {
            for (int tb = 0; tb < blocks; tb++) {
                GemmMicroKernel.multiply(batch, ws.gradByClasses, cg * classGroupStride(), packedRows, tb * batch * NR,
                        grads, tb * NR, dimsPadded);
            }
            for (int r = 0; r < MR && cg * MR + r < n; r++) {
                int c = cg * MR + r, src = r * dimsPadded, row = dWOff + classIdx[classOff + j0 + c] * embDim;
                FloatVector dot = FloatVector.zero(SPECIES);
                for (int tb = 0; tb < blocks; tb++) {
                    int wp = (tb * panel + c) * NR, at = src + tb * NR;
                    dot = FloatVector.fromArray(SPECIES, protos, wp).fma(FloatVector.fromArray(SPECIES, grads, at), dot);
                    dot = FloatVector.fromArray(SPECIES, protos, wp + LANES)
                            .fma(FloatVector.fromArray(SPECIES, grads, at + LANES), dot);
                }
                float invNorm = ws.inverseNorms[c];
                FloatVector coef = FloatVector.broadcast(SPECIES,
                        -FloatLanes.sumLanes(dot) * invNorm * invNorm);
                for (int tb = 0; tb < blocks; tb++) {
                    int wp = (tb * panel + c) * NR, at = src + tb * NR;
                    FloatVector.fromArray(SPECIES, protos, wp).fma(coef, FloatVector.fromArray(SPECIES, grads, at))
                            .intoArray(grads, at);
                    FloatVector.fromArray(SPECIES, protos, wp + LANES)
                            .fma(coef, FloatVector.fromArray(SPECIES, grads, at + LANES)).intoArray(grads, at + LANES);
                }
                for (int t = 0; t < k; t++) {
                    dW[row + dimIdx[dimOff + t]] += grads[src + t];
                }
            }
        }
    }

    /**
     * dEPartial[i, dims] += sum_{j in panel} s_ij w_j (over the sampled dims), laid out [dim block][row][NR]
     * so a dim block's accumulators are contiguous (row-major, rows 1 KB apart, they collided in L1 sets).
     */
    private void accumulateRowGradients(SampledCosineWorkspace ws, int n) {
        int blocks = ceilDiv(sampledDims, NR), rowBlocks = ceilDiv(batch, MR), rowsPadded = rowBlocks * MR;
        float[] tile = ws.tile, acc = ws.dEPartial;
        for (int tb = 0; tb < blocks; tb++) {
            for (int rb = 0; rb < rowBlocks; rb++) {
                GemmMicroKernel.multiply(n, ws.gradByRows, rb * PANEL * MR, ws.prototypes,
                        tb * PANEL * NR, tile);
                for (int r = 0; r < MR; r++) {
                    int dst = (tb * rowsPadded + rb * MR + r) * NR;
                    FloatVector.fromArray(SPECIES, acc, dst).add(FloatVector.fromArray(SPECIES, tile, r * NR))
                            .intoArray(acc, dst);
                    FloatVector.fromArray(SPECIES, acc, dst + LANES)
                            .add(FloatVector.fromArray(SPECIES, tile, r * NR + LANES)).intoArray(acc, dst + LANES);
                }
            }
        }
    }

    /**
     * dE[i, dims] += (u_i - e_hat_i (e_hat_i . u_i)) / |e_i| with u_i = sum_j dCos_ij w_hat_j, the chunks'
     * shares of u summed in chunk order.
     */
    private void reduceIntoDE(float[] dE, int dEOff) {
        int k = sampledDims, blocks = ceilDiv(k, NR), rowsPadded = roundUp(batch, MR);
        SampledCosineWorkspace first = null;
        int after = -1;
        while (true) {
            SampledCosineWorkspace next = null;
            for (int x = 0; x < workspaces.size(); x++) {
                SampledCosineWorkspace ws = workspaces.get(x);
                if (ws.epoch == epoch && ws.chunkStart > after && (next == null || ws.chunkStart < next.chunkStart)) {
                    next = ws;
                }
            }
            if (next == null) {
                break;
            }
            after = next.chunkStart;
            if (first == null) {
                first = next;
            } else {
                addInto(first.dEPartial, next.dEPartial, rowsPadded * blocks * NR);
            }
        }
        if (first == null) {
            return;
        }
        float[] u = first.dEPartial;
        for (int i = 0; i < batch; i++) {
            FloatVector dot = FloatVector.zero(SPECIES);
            for (int tb = 0; tb < blocks; tb++) {
                int e0 = (tb * batch + i) * NR, u0 = (tb * rowsPadded + i) * NR;
                dot = FloatVector.fromArray(SPECIES, packedRows, e0).fma(FloatVector.fromArray(SPECIES, u, u0), dot);
                dot = FloatVector.fromArray(SPECIES, packedRows, e0 + LANES)
                        .fma(FloatVector.fromArray(SPECIES, u, u0 + LANES), dot);
            }
            float inv = inverseRowNorms[i], proj = FloatLanes.sumLanes(dot);
            int row = dEOff + i * embDim;
            for (int t = 0; t < k; t++) {
                float eHat = packedRows[((t / NR) * batch + i) * NR + t % NR];
                float sum = u[((t / NR) * rowsPadded + i) * NR + t % NR];
                dE[row + dimIdx[dimOff + t]] += (sum - eHat * proj) * inv;
            }
        }
    }

    /**
     * Floats between class groups in gradByClasses: batch*MR plus one cache line, because with B = 256 the
     * bare stride is 4 KB and a row's 16 writes then all fall into one L1 set.
     */
    private int classGroupStride() {
        return batch * MR + NR;
    }

    private static void addInto(float[] dst, float[] src, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, dst, i).add(FloatVector.fromArray(SPECIES, src, i)).intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] += src[i];
        }
    }
}
