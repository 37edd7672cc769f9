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
 * Backward of the fused sampled-cosine kernel. Per panel of {@link #PANEL} sampled classes: gather their sampled
 * dims normalised (w_hat_j), copy the panel's columns of dCos into class groups, then two products with
 * {@link GemmMicroKernel}: u_i = sum_j dCos_ij w_hat_j, A being MR rows of dCos read in place (this chunk's share
 * of u, summed over chunks in order at the end, then finished into dE), and g_j = sum_i dCos_ij e_hat_i, A being
 * the class groups (finished into dW and added over the sampled rows and dims). The normalisations' projections
 * come from the products themselves (w_hat_j . g_j and e_hat_i . u_i), so cos is not read. Both products run
 * dim block outermost, so their B sliver stays in L1 while the A slivers stream from L2, as in SGEMM. Panels go
 * to threads: each dW row has one writer, and dW does not depend on the thread count.
 */
final class SampledCosineBackward extends SampledCosinePass {
    /**
     * Classes per panel: the K of the dE product, a multiple of MR for the dW tiles. 256 measured a little
     * faster than 128 (0.0-0.5 ms per backward step, alternated runs) and clearly faster than 64.
     */
    static final int PANEL = 64 * MR;
    /**
     * Floats from one dim block of the gathered prototypes to the next: a panel's NR-wide rows plus one more,
     * because a bare 16 KB stride puts a class's blocks all in one L1 set (the dW projection walks them).
     */
    private static final int PROTOTYPE_BLOCK = (PANEL + 1) * NR;
    /** Classes whose dW rows are computed and scattered at a time (the dW product's M block, a multiple of MR). */
    static final int CLASS_BLOCK = 16 * MR;
    /**
     * dW rows updated together by the scatter, so that their cache misses overlap: with 8 a backward step took
     * 1.5-2 ms less CPU time than one row at a time or 16 rows, about as little as with 4 (B = 256, Cs = 10,000,
     * d' = 256, development machine).
     */
    static final int SCATTER_ROWS = 8;
    /** Vectors of MR floats: one row's values for a class group. */
    private static final VectorSpecies<Float> QUARTER = FloatVector.SPECIES_128;

    private final ParallelLoop.Range body = this::panels;
    private final Predicate<SampledCosineWorkspace> notYetUsedThisCall = ws -> ws.epoch != this.epoch;
    /** Normalised gathered E as [dim block][row][NR dims]. */
    private float[] packedRows = new float[0];
    private float[] inverseRowNorms = new float[0];
    /** Whether dW rows are updated whole (see {@link #addDense}); chosen per call. */
    private boolean denseScatter;
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
            denseScatter = 8 * sampledDims >= embDim;
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
            int dimsPadded = roundUp(sampledDims, NR), rowsPadded = roundUp(batch, MR);
            ws.prototypes = atLeast(ws.prototypes, dimsPadded / NR * PROTOTYPE_BLOCK);
            ws.classGradients = atLeast(ws.classGradients, CLASS_BLOCK * dimsPadded);
            ws.edgeRows = atLeast(ws.edgeRows, PANEL * MR);
            ws.byClasses = atLeast(ws.byClasses, classGroupStride() * (PANEL / MR));
            ws.dEPartial = atLeast(ws.dEPartial, rowsPadded * dimsPadded);
            Arrays.fill(ws.dEPartial, 0, rowsPadded * dimsPadded, 0f);
            ws.denseRows = atLeast(ws.denseRows, SCATTER_ROWS * denseSlot());
            Arrays.fill(ws.denseRows, 0, SCATTER_ROWS * denseSlot(), -0f);
            ws.epoch = epoch;
            ws.chunkStart = from;
            for (int p = from; p < to; p++) {
                panel(ws, p);
            }
        } finally {
            workspaces.giveBack(ws);
        }
    }

    /** One panel of sampled classes: gather and normalise W, dE tiles (this chunk's sum), dW tiles, scatter. */
    private void panel(SampledCosineWorkspace ws, int p) {
        int j0 = p * PANEL, n = Math.min(PANEL, sampledClasses - j0);
        gatherNormalisedPrototypes(ws, j0, n);
        accumulateRowGradients(ws, j0, n);
        packClassColumns(ws, j0, n);
        for (int s0 = 0; s0 < n; s0 += CLASS_BLOCK) {
            int s1 = Math.min(n, s0 + CLASS_BLOCK);
            multiplyClassGradients(ws, s0, s1);
            scatterPrototypeGradients(ws, j0, s0, s1);
        }
    }

    /**
     * prototypes[tb][c][l] = W[classIdx[j0 + c], dims[tb*NR + l]] / |w_c| for the panel's n classes, zero past
     * the last sampled dim. NR classes at a time, dim-major within them: one step's loads come from NR rows, so
     * their cache misses overlap. (Measured on the development machine, a pass over 10,000 sampled rows: 2.3 ms
     * this way; 5.0 ms dim-major over 64 rows at once; 2.7-4.7 ms with the Vector API's gathers.)
     */
    private void gatherNormalisedPrototypes(SampledCosineWorkspace ws, int j0, int n) {
        int k = sampledDims, dimsPadded = roundUp(k, NR);
        float[] out = ws.prototypes, inv = ws.inverseNorms;
        int[] rows = ws.rowStarts;
        for (int c = 0; c < n; c++) {
            rows[c] = wOff + classIdx[classOff + j0 + c] * embDim;
            inv[c] = 1f / wNorms[wNormOff + j0 + c];
        }
        for (int c0 = 0; c0 < n; c0 += NR) {
            int m = Math.min(NR, n - c0);
            for (int t = 0; t < k; t++) {
                int d = dimIdx[dimOff + t], base = t / NR * PROTOTYPE_BLOCK + c0 * NR + t % NR;
                for (int r = 0; r < m; r++) {
                    out[base + r * NR] = w[rows[c0 + r] + d];
                }
            }
            // Normalised afterwards, a vector pass over the block: keeps the gather loop to loads and stores.
            for (int tb = 0; tb * NR < k; tb++) {
                for (int c = c0; c < c0 + m; c++) {
                    int o = tb * PROTOTYPE_BLOCK + c * NR;
                    FloatVector.fromArray(SPECIES, out, o).mul(inv[c]).intoArray(out, o);
                    FloatVector.fromArray(SPECIES, out, o + LANES).mul(inv[c]).intoArray(out, o + LANES);
                }
            }
            for (int t = k; t < dimsPadded; t++) {
                int base = t / NR * PROTOTYPE_BLOCK + c0 * NR + t % NR;
                for (int r = 0; r < m; r++) {
                    out[base + r * NR] = 0f;
                }
            }
        }
    }

    /**
     * dEPartial[i, dims] += sum_{j in panel} dCos_ij w_hat_j (over the sampled dims), laid out [dim block][row]
     * [NR] so a dim block's accumulators are contiguous (row-major, rows 1 KB apart, they collided in L1 sets).
     * Dim block outermost, so its B sliver (the panel's normalised prototypes) stays in L1 while A, MR rows of
     * dCos, is read in place; a last block of fewer than MR rows goes through a zero-padded copy.
     */
    private void accumulateRowGradients(SampledCosineWorkspace ws, int j0, int n) {
        int blocks = ceilDiv(sampledDims, NR), fullRows = batch / MR * MR, rowsPadded = roundUp(batch, MR);
        int cs = sampledClasses;
        float[] tile = ws.tile, acc = ws.dEPartial, protos = ws.prototypes, g = dCos;
        if (fullRows < batch) {
            float[] edge = ws.edgeRows;
            for (int c = 0; c < n; c++) {
                for (int r = 0; r < MR; r++) {
                    int i = fullRows + r;
                    edge[c * MR + r] = i < batch ? g[dCosOff + i * cs + j0 + c] : 0f;
                }
            }
        }
        for (int tb = 0; tb < blocks; tb++) {
            int bOff = tb * PROTOTYPE_BLOCK, accOff = tb * rowsPadded * NR;
            for (int i0 = 0; i0 < fullRows; i0 += MR) {
                GemmMicroKernel.multiplyRows(n, g, dCosOff + i0 * cs + j0, cs, protos, bOff, tile, 0, NR);
                addTile(tile, acc, accOff + i0 * NR);
            }
            if (fullRows < batch) {
                GemmMicroKernel.multiply(n, ws.edgeRows, 0, protos, bOff, tile);
                addTile(tile, acc, accOff + fullRows * NR);
            }
        }
    }

    /** acc[at .. at + MR*NR) += tile: MR rows of NR accumulators, contiguous in the [dim block][row][NR] layout. */
    private static void addTile(float[] tile, float[] acc, int at) {
        for (int x = 0; x < MR * NR; x += LANES) {
            FloatVector.fromArray(SPECIES, acc, at + x).add(FloatVector.fromArray(SPECIES, tile, x))
                    .intoArray(acc, at + x);
        }
    }

    /**
     * Copies the panel's columns of dCos as [class group][row][MR classes] (groups {@link #classGroupStride()}
     * apart, zero past the panel's last class): the A operand of the dW product, whose steps run down the rows.
     * Read in place instead, every step would load from a new row 40 KB on, and the product ran a third slower.
     */
    private void packClassColumns(SampledCosineWorkspace ws, int j0, int n) {
        int full = n / MR * MR, stride = classGroupStride(), cs = sampledClasses;
        float[] out = ws.byClasses, g = dCos;
        for (int i = 0; i < batch; i++) {
            int src = dCosOff + i * cs + j0, dst = i * MR;
            for (int c0 = 0; c0 < full; c0 += MR) {
                FloatVector.fromArray(QUARTER, g, src + c0).intoArray(out, c0 / MR * stride + dst);
            }
            for (int r = 0; full < n && r < MR; r++) {
                out[full / MR * stride + dst + r] = full + r < n ? g[src + full + r] : 0f;
            }
        }
    }

    /**
     * classGradients[c][dims] = g_j = sum_i dCos_ij e_hat_i for the panel's classes (j = j0 + c), the gradient
     * with respect to w_hat_j. Dim block outermost: its B sliver (NR dims of every normalised E row, 16 KB at
     * B = 256) stays in L1 while the A slivers of the panel's class groups stream from L2.
     */
    private void multiplyClassGradients(SampledCosineWorkspace ws, int s0, int s1) {
        int blocks = ceilDiv(sampledDims, NR), dimsPadded = blocks * NR, stride = classGroupStride();
        float[] grads = ws.classGradients;
        for (int tb = 0; tb < blocks; tb++) {
            int bOff = tb * batch * NR;
            for (int c0 = s0; c0 < s1; c0 += MR) {
                GemmMicroKernel.multiply(batch, ws.byClasses, c0 / MR * stride, packedRows, bOff, grads,
                        (c0 - s0) * dimsPadded + tb * NR, dimsPadded);
            }
        }
    }

    /**
     * Floats between class groups in byClasses: batch*MR plus one vector pair, because with B = 256 the bare
     * stride is 4 KB and a row's copies to successive groups would all fall into one L1 set.
     */
    private int classGroupStride() {
        return batch * MR + NR;
    }

    /**
     * dW[classIdx[j], dims] += (g_j - w_hat_j (w_hat_j . g_j)) / |w_j|, the normalisation's backward, for the
     * panel's classes; they belong to this thread alone. MR classes at a time, so that the scatter works on
     * MR rows of dW together (their cache misses overlap).
     */
    private void scatterPrototypeGradients(SampledCosineWorkspace ws, int j0, int s0, int s1) {
        for (int c0 = s0; c0 < s1; c0 += SCATTER_ROWS) {
            int m = Math.min(SCATTER_ROWS, s1 - c0);
            for (int c = c0; c < c0 + m; c++) {
                finishClassGradient(ws, c, c - s0);
            }
            if (denseScatter) {
                addDense(ws, j0, c0, c0 - s0, m);
            } else {
                addSparse(ws, j0, c0, c0 - s0, m);
            }
        }
    }

    /** classGradients[c] = (g - w_hat (w_hat . g)) / |w| in place, w_hat from the packed prototypes. */
    private void finishClassGradient(SampledCosineWorkspace ws, int c, int slot) {
        int blocks = ceilDiv(sampledDims, NR), src = slot * blocks * NR;
        float[] protos = ws.prototypes, grads = ws.classGradients;
        FloatVector dot = FloatVector.zero(SPECIES);
        for (int tb = 0; tb < blocks; tb++) {
            int wp = tb * PROTOTYPE_BLOCK + c * NR, at = src + tb * NR;
            dot = FloatVector.fromArray(SPECIES, protos, wp).fma(FloatVector.fromArray(SPECIES, grads, at), dot);
            dot = FloatVector.fromArray(SPECIES, protos, wp + LANES)
                    .fma(FloatVector.fromArray(SPECIES, grads, at + LANES), dot);
        }
        FloatVector coef = FloatVector.broadcast(SPECIES, -FloatLanes.sumLanes(dot));
        float invNorm = ws.inverseNorms[c];
        for (int tb = 0; tb < blocks; tb++) {
            int wp = tb * PROTOTYPE_BLOCK + c * NR, at = src + tb * NR;
            FloatVector.fromArray(SPECIES, protos, wp).fma(coef, FloatVector.fromArray(SPECIES, grads, at))
                    .mul(invNorm).intoArray(grads, at);
            FloatVector.fromArray(SPECIES, protos, wp + LANES)
                    .fma(coef, FloatVector.fromArray(SPECIES, grads, at + LANES)).mul(invNorm)
                    .intoArray(grads, at + LANES);
        }
    }

    /** dW[row of class c, dims[t]] += classGradients[c][t], element by element, for m classes from c0. */
    private void addSparse(SampledCosineWorkspace ws, int j0, int c0, int at, int m) {
        int k = sampledDims, dimsPadded = roundUp(k, NR);
        float[] grads = ws.classGradients;
        for (int c = c0; c < c0 + m; c++) {
            int src = (at + c - c0) * dimsPadded, row = dWOff + classIdx[classOff + j0 + c] * embDim;
            for (int t = 0; t < k; t++) {
                dW[row + dimIdx[dimOff + t]] += grads[src + t];
            }
        }
    }

    /**
     * The same as {@link #addSparse} as one vector pass over m whole rows of dW: each class's values are first
     * spread into its De-long slot of denseRows, whose other entries hold -0.0, and x + -0.0 is exactly x for
     * every x (+0.0 would turn -0.0 into +0.0), so the dims not sampled are left as they are. When most of a
     * row's cache lines hold a sampled dim anyway (d' >= De / 8), this is cheaper than a scalar
     * read-modify-write per sampled dim; the MR rows are walked together.
     */
    private void addDense(SampledCosineWorkspace ws, int j0, int c0, int at, int m) {
        int k = sampledDims, dimsPadded = roundUp(k, NR), de = embDim, slots = denseSlot();
        float[] dense = ws.denseRows, grads = ws.classGradients;
        int[] rows = ws.scatterRows;
        for (int r = 0; r < m; r++) {
            int src = (at + r) * dimsPadded, slot = r * slots;
            rows[r] = dWOff + classIdx[classOff + j0 + c0 + r] * de;
            for (int t = 0; t < k; t++) {
                dense[slot + dimIdx[dimOff + t]] = grads[src + t];
            }
        }
        int end = FloatLanes.loopBound(de);
        for (int d = 0; d < end; d += LANES) {
            for (int r = 0; r < m; r++) {
                addInto(rows[r] + d, dense, r * slots + d);
            }
        }
        for (int r = 0; r < m; r++) {
            for (int d = end; d < de; d++) {
                dW[rows[r] + d] += dense[r * slots + d];
            }
        }
    }

    /** dW[at .. at + LANES) += dense[from .. from + LANES). */
    private void addInto(int at, float[] dense, int from) {
        FloatVector.fromArray(SPECIES, dW, at).add(FloatVector.fromArray(SPECIES, dense, from)).intoArray(dW, at);
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

    /** Floats between the scatter's dense rows: De plus one cache line, so that they are not 2 KB apart. */
    private int denseSlot() {
        return embDim + FLOATS_PER_LINE;
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
