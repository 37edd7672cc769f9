package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.GemmMicroKernel.LANES;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.SPECIES;
import static org.unicom4j.kernels.cpu.SampledCosineWorkspace.atLeast;

import jdk.incubator.vector.FloatVector;

/**
 * Forward of the fused sampled-cosine kernel: per panel of NR sampled classes, gather their sampled dims
 * into a [dim][class] tile (the row norms from the same tile), then one {@link GemmMicroKernel} product per
 * block of MR batch rows against the normalised gathered E, scaled by 1/|w| and clamped on the way out.
 * Panels go to threads; every output element has one writer.
 */
final class SampledCosineForward extends SampledCosinePass {
    private final ParallelLoop.Range body = this::panels;
    /** Normalised gathered E as [row block][dim][MR rows]. */
    private float[] packedRows = new float[0];

    SampledCosineForward(ParallelLoop loop, WorkspacePool<SampledCosineWorkspace> workspaces) {
        super(loop, workspaces);
    }

    void run(CpuFloats e, int batch, int embDim, CpuFloats w, CpuInts classIdx, int sampledClasses,
             CpuInts dimIdx, int sampledDims, CpuFloats eNorms, CpuFloats wNorms, CpuFloats cos) {
        bind(e, batch, embDim, w, classIdx, sampledClasses, dimIdx, sampledDims, wNorms);
        this.cos = cos.array();
        this.cosOff = cos.offset();
        try {
            packRows(eNorms.array(), eNorms.offset());
            int panels = ceilDiv(sampledClasses, NR);
            loop.forRange(panels, 2L * roundUp(batch, MR) * NR * sampledDims, body);
        } finally {
            unbind();
        }
    }

    /** packedRows[rb][t][r] = E[rb*MR + r, dims[t]] / |E[., dims]| (zero rows pad the last block). */
    private void packRows(float[] eNorms, int eNormOff) {
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

    private void panels(int from, int to) {
        SampledCosineWorkspace ws = workspaces.borrow();
        try {
            ws.prototypes = atLeast(ws.prototypes, sampledDims * NR);
            for (int p = from; p < to; p++) {
                panel(ws, p);
            }
        } finally {
            workspaces.giveBack(ws);
        }
    }

    /** cos[:, NR classes from p*NR]: gather the classes' sampled dims as [dim][class], norms, then tiles. */
    private void panel(SampledCosineWorkspace ws, int p) {
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
            GemmMicroKernel.multiply(k, packedRows, rb * MR * k, panel, 0, tile);
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
}
