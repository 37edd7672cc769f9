package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.PackedTileKernel.LANES;
import static org.unicom4j.kernels.cpu.PackedTileKernel.MR;
import static org.unicom4j.kernels.cpu.PackedTileKernel.NR;
import static org.unicom4j.kernels.cpu.PackedTileKernel.SPECIES;
import static org.unicom4j.kernels.cpu.SampledCosineWorkspace.atLeast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The fused sampled-prototype cosine logits on the CPU and their backward (see
 * {@link org.unicom4j.kernels.Backend#sampledCosineLogits}). The gathers of sampled classes and dims and the
 * row norms happen while packing small tiles for {@link PackedTileKernel}; W[classIdx][:, dimIdx] never
 * exists as a whole. Work is split over panels of sampled classes, so every dW row has one writer; dE is
 * summed per thread and reduced at the end. Scratch lives in per-thread {@link SampledCosineWorkspace}s.
 *
 * <p>One call at a time per instance (the methods are synchronized): the running call's arguments sit in
 * fields so the parallel bodies are allocated once, not per call.
 */
final class CpuSampledCosine {
    private static final float NORM_EPS = 1e-12f;
    /** Classes per backward panel: the K of the dE product, a multiple of MR for the dW tiles. */
    static final int BACKWARD_PANEL = 16 * MR;
    /** Vectors of MR floats: one row's values for a class group of MR classes. */
    private static final jdk.incubator.vector.VectorSpecies<Float> QUARTER = FloatVector.SPECIES_128;

    private final ParallelLoop loop;
    private final WorkspacePool<SampledCosineWorkspace> workspaces = new WorkspacePool<>(SampledCosineWorkspace::new);
    private final ParallelLoop.Range forwardBody = this::forwardPanels;
    private final ParallelLoop.Range backwardBody = this::backwardPanels;
    private final java.util.function.Predicate<SampledCosineWorkspace> notYetUsedThisCall = ws -> ws.epoch != this.epoch;

    /** Normalised gathered E: forward [row block][dim][MR rows], backward [dim block][row][NR dims]. */
    private float[] packedRows = new float[0];
    private float[] inverseRowNorms = new float[0];
    private long epoch;

    // Arguments of the running call (read by the parallel bodies).
    private float[] e, w, wNorms, cos, dCos, dW;
    private int[] classIdx, dimIdx;
    private int eOff, wOff, classOff, dimOff, wNormOff, cosOff, dCosOff, dWOff;
    private int batch, embDim, sampledClasses, sampledDims;

    CpuSampledCosine(ParallelLoop loop) {
        this.loop = loop;
    }

    synchronized void forward(CpuFloats e, int batch, int embDim, CpuFloats w, int classes, CpuInts classIdx,
                              int sampledClasses, CpuInts dimIdx, int sampledDims, CpuFloats eNorms,
                              CpuFloats wNorms, CpuFloats cos) {
        bind(e, batch, embDim, w, classIdx, sampledClasses, dimIdx, sampledDims, wNorms, cos);
        try {
            packRowsForForward(eNorms.array(), eNorms.offset());
            int panels = ceilDiv(sampledClasses, NR);
            loop.forRange(panels, 2L * roundUp(batch, MR) * NR * sampledDims, forwardBody);
        } finally {
            unbind();
        }
    }

    synchronized void backward(CpuFloats dCos, CpuFloats cos, CpuFloats e, int batch, int embDim, CpuFloats w,
                               int classes, CpuInts classIdx, int sampledClasses, CpuInts dimIdx, int sampledDims,
                               CpuFloats eNorms, CpuFloats wNorms, CpuFloats dE, CpuFloats dW) {
        bind(e, batch, embDim, w, classIdx, sampledClasses, dimIdx, sampledDims, wNorms, cos);
        this.dCos = dCos.array();
        this.dCosOff = dCos.offset();
        this.dW = dW.array();
        this.dWOff = dW.offset();
        try {
            packRowsForBackward(eNorms.array(), eNorms.offset());
            epoch++;
            int panels = ceilDiv(sampledClasses, BACKWARD_PANEL);
            loop.forRange(panels, 4L * batch * BACKWARD_PANEL * sampledDims, backwardBody);
            reduceIntoDE(dE.array(), dE.offset());
        } finally {
            unbind();
        }
    }

    // ------------------------------------------------------------------ forward

    /** packedRows[rb][t][r] = E[rb*MR + r, dims[t]] / |E[., dims]| (zero rows pad the last block). */
    private void packRowsForForward(float[] eNorms, int eNormOff) {
        int k = sampledDims, padded = roundUp(batch, MR);
        packedRows = atLeast(packedRows, padded * k);
        float[] packed = packedRows;
        for (int i = 0; i < padded; i++) {
            int dst = (i / MR) * MR * k + i % MR;
            if (i >= batch) {
                for (int t = 0; t < k; t++) {
                    packed[dst + t * MR] = 0f;
                }
                continue;
            }
            int row = eOff + i * embDim;
            float norm = gatheredNorm(e, row);
            eNorms[eNormOff + i] = norm;
            float inv = 1f / norm;
            for (int t = 0; t < k; t++) {
                packed[dst + t * MR] = e[row + dimIdx[dimOff + t]] * inv;
            }
        }
    }

    private void forwardPanels(int from, int to) {
        SampledCosineWorkspace ws = workspaces.borrow();
        try {
            ws.prototypes = atLeast(ws.prototypes, sampledDims * NR);
            for (int p = from; p < to; p++) {
                forwardPanel(ws, p);
            }
        } finally {
            workspaces.giveBack(ws);
        }
    }

    /** cos[:, NR classes from p*NR]: gather the classes' sampled dims as [dim][class], norms, then tiles. */
    private void forwardPanel(SampledCosineWorkspace ws, int p) {
        int k = sampledDims, j0 = p * NR, n = Math.min(NR, sampledClasses - j0);
        float[] panel = ws.prototypes, tile = ws.tile, lanes = ws.lanes;
        int[] rowStart = ws.rowStarts;
        for (int c = 0; c < NR; c++) {
            rowStart[c] = c < n ? wOff + classIdx[classOff + j0 + c] * embDim : 0;
        }
        // Dim-major: the NR loads of one step hit NR different rows, so their cache misses overlap.
        for (int t = 0; t < k; t++) {
            int d = dimIdx[dimOff + t], base = t * NR;
            for (int c = 0; c < n; c++) {
                panel[base + c] = w[rowStart[c] + d];
            }
            for (int c = n; c < NR; c++) {
                panel[base + c] = 0f;
            }
        }
        FloatVector ss0 = FloatVector.zero(SPECIES), ss1 = ss0;
        for (int t = 0; t < k; t++) {
            FloatVector v0 = FloatVector.fromArray(SPECIES, panel, t * NR);
            FloatVector v1 = FloatVector.fromArray(SPECIES, panel, t * NR + LANES);
            ss0 = v0.fma(v0, ss0);
            ss1 = v1.fma(v1, ss1);
        }
        FloatVector norm0 = ss0.sqrt().max(NORM_EPS), norm1 = ss1.sqrt().max(NORM_EPS);
        norm0.intoArray(lanes, 0);
        norm1.intoArray(lanes, LANES);
        System.arraycopy(lanes, 0, wNorms, wNormOff + j0, n);
        FloatVector one = FloatVector.broadcast(SPECIES, 1f), inv0 = one.div(norm0), inv1 = one.div(norm1);
        int cs = sampledClasses;
        for (int rb = 0; rb * MR < batch; rb++) {
            PackedTileKernel.multiply(packedRows, rb * MR * k, panel, 0, k, tile);
            int rows = Math.min(MR, batch - rb * MR);
            for (int r = 0; r < rows; r++) {
                FloatVector c0 = FloatVector.fromArray(SPECIES, tile, r * NR).mul(inv0).max(-1f).min(1f);
                FloatVector c1 = FloatVector.fromArray(SPECIES, tile, r * NR + LANES).mul(inv1).max(-1f).min(1f);
                int out = cosOff + (rb * MR + r) * cs + j0;
                if (n == NR) {
                    c0.intoArray(cos, out);
                    c1.intoArray(cos, out + LANES);
                } else {
                    c0.intoArray(lanes, 0);
                    c1.intoArray(lanes, LANES);
                    System.arraycopy(lanes, 0, cos, out, n);
                }
            }
        }
    }

    // ------------------------------------------------------------------ backward

    /** packedRows[tb][i][l] = E[i, dims[tb*NR + l]] / eNorms[i], zero past the last sampled dim. */
    private void packRowsForBackward(float[] eNorms, int eNormOff) {
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
    private void backwardPanels(int from, int to) {
        SampledCosineWorkspace ws = workspaces.borrow(notYetUsedThisCall);
        try {
            int dimsPadded = ceilDiv(sampledDims, NR) * NR, rowsPadded = roundUp(batch, MR);
            ws.prototypes = atLeast(ws.prototypes, dimsPadded * BACKWARD_PANEL);
            ws.gradByRows = atLeast(ws.gradByRows, rowsPadded * BACKWARD_PANEL);
            ws.gradByClasses = atLeast(ws.gradByClasses, classGroupStride() * (BACKWARD_PANEL / MR));
            ws.classGradients = atLeast(ws.classGradients, MR * dimsPadded);
            ws.dEPartial = atLeast(ws.dEPartial, rowsPadded * dimsPadded);
            java.util.Arrays.fill(ws.dEPartial, 0, rowsPadded * dimsPadded, 0f);
            ws.epoch = epoch;
            ws.chunkStart = from;
            for (int p = from; p < to; p++) {
                backwardPanel(ws, p);
            }
        } finally {
            workspaces.giveBack(ws);
        }
    }

    /** One panel of sampled classes: gather W, pack dCos, dW tiles (scattered), dE tiles (this thread's sum). */
    private void backwardPanel(SampledCosineWorkspace ws, int p) {
        int j0 = p * BACKWARD_PANEL, n = Math.min(BACKWARD_PANEL, sampledClasses - j0);
        packPrototypesForBackward(ws, j0, n);
        packGradients(ws, j0, n);
        scatterPrototypeGradients(ws, j0, n);
        accumulateRowGradients(ws, n);
    }

    /** prototypes[tb][c][l] = W[classIdx[j0 + c], dims[tb*NR + l]], zero for padding classes and dims. */
    private void packPrototypesForBackward(SampledCosineWorkspace ws, int j0, int n) {
        int k = sampledDims, dimsPadded = ceilDiv(k, NR) * NR, panelWidth = BACKWARD_PANEL;
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
        int cs = sampledClasses, panel = BACKWARD_PANEL, groups = classGroupStride();
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
        int k = sampledDims, blocks = ceilDiv(k, NR), dimsPadded = blocks * NR, panel = BACKWARD_PANEL;
        float[] tile = ws.tile, protos = ws.prototypes, grads = ws.classGradients, dots = ws.lanes;
        for (int cg = 0; cg * MR < n; cg++) {
            java.util.Arrays.fill(dots, 0f);
            for (int tb = 0; tb < blocks; tb++) {
                PackedTileKernel.multiply(ws.gradByClasses, cg * classGroupStride(), packedRows, tb * batch * NR,
                        batch, tile);
                for (int r = 0; r < MR; r++) {
                    int wp = (tb * panel + cg * MR + r) * NR, dst = r * dimsPadded + tb * NR;
                    FloatVector t0 = FloatVector.fromArray(SPECIES, tile, r * NR);
                    FloatVector t1 = FloatVector.fromArray(SPECIES, tile, r * NR + LANES);
                    t0.intoArray(grads, dst);
                    t1.intoArray(grads, dst + LANES);
                    dots[r] += t0.mul(FloatVector.fromArray(SPECIES, protos, wp))
                            .add(t1.mul(FloatVector.fromArray(SPECIES, protos, wp + LANES)))
                            .reduceLanes(VectorOperators.ADD);
                }
            }
            for (int r = 0; r < MR && cg * MR + r < n; r++) {
                int c = cg * MR + r, src = r * dimsPadded, row = dWOff + classIdx[classOff + j0 + c] * embDim;
                float invNorm = ws.inverseNorms[c];
                FloatVector coef = FloatVector.broadcast(SPECIES, -dots[r] * invNorm * invNorm);
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
                PackedTileKernel.multiply(ws.gradByRows, rb * BACKWARD_PANEL * MR, ws.prototypes,
                        tb * BACKWARD_PANEL * NR, n, tile);
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
            float inv = inverseRowNorms[i], proj = dot.reduceLanes(VectorOperators.ADD);
            int row = dEOff + i * embDim;
            for (int t = 0; t < k; t++) {
                float eHat = packedRows[((t / NR) * batch + i) * NR + t % NR];
                float sum = u[((t / NR) * rowsPadded + i) * NR + t % NR];
                dE[row + dimIdx[dimOff + t]] += (sum - eHat * proj) * inv;
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private void bind(CpuFloats e, int batch, int embDim, CpuFloats w, CpuInts classIdx, int sampledClasses,
                      CpuInts dimIdx, int sampledDims, CpuFloats wNorms, CpuFloats cos) {
        this.e = e.array();
        this.eOff = e.offset();
        this.w = w.array();
        this.wOff = w.offset();
        this.classIdx = classIdx.array();
        this.classOff = classIdx.offset();
        this.dimIdx = dimIdx.array();
        this.dimOff = dimIdx.offset();
        this.wNorms = wNorms.array();
        this.wNormOff = wNorms.offset();
        this.cos = cos.array();
        this.cosOff = cos.offset();
        this.batch = batch;
        this.embDim = embDim;
        this.sampledClasses = sampledClasses;
        this.sampledDims = sampledDims;
    }

    /** Drops the references to the caller's buffers so a closed buffer is not kept alive by this kernel. */
    private void unbind() {
        e = w = wNorms = cos = dCos = dW = null;
        classIdx = dimIdx = null;
    }

    /**
     * Floats between class groups in gradByClasses: batch*MR plus one cache line, because with B = 256 the
     * bare stride is 4 KB and a row's 16 writes then all fall into one L1 set.
     */
    private int classGroupStride() {
        return batch * MR + NR;
    }

    /** max(||row[dims]||, eps), summed in double (the row is short and read again right after). */
    private float gatheredNorm(float[] v, int row) {
        double s = 0;
        for (int t = 0; t < sampledDims; t++) {
            float x = v[row + dimIdx[dimOff + t]];
            s += (double) x * x;
        }
        return Math.max((float) Math.sqrt(s), NORM_EPS);
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

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }
}
