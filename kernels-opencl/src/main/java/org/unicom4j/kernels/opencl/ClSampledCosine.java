package org.unicom4j.kernels.opencl;

/**
 * Launches sampled_cosine.cl: the fused sampled-prototype cosine logits (row norms first, then one tiled
 * pass that gathers rows and dims while loading) and their backward (projections, then dE by batch row and
 * dW by sampled class). GPUs stage the gathered tiles in local memory; CPU devices pack them per work-item.
 */
final class ClSampledCosine extends ClKernels {
    private final ClGemm gemm;

    ClSampledCosine(ClQueue queue, ClGemm gemm, OpenClTuning tuning, String options) {
        super(queue, tuning, options, "rows.cl", "tiles.cl", "sampled_cosine.cl");
        this.gemm = gemm;
    }

    void forward(ClFloats e, int batch, int embDim, ClFloats w, ClInts classIdx, int sampledClasses, ClInts dimIdx,
                 int sampledDims, ClFloats eNorms, ClFloats wNorms, ClFloats cos) {
        norms(e, embDim, dimIdx, false, dimIdx, sampledDims, eNorms, batch);
        norms(w, embDim, classIdx, true, dimIdx, sampledDims, wNorms, sampledClasses);
        ClLaunch launch = launch(tuning.localTiles() ? "sampled_cosine_tiled" : "sampled_cosine_packed")
                .floats(e).floats(w).ints(classIdx).ints(dimIdx).floats(eNorms).floats(wNorms).floats(cos)
                .i(batch).i(embDim).i(sampledClasses).i(sampledDims);
        product(launch, batch, sampledClasses);
    }

    void backward(ClFloats dCos, ClFloats cos, ClFloats e, int batch, int embDim, ClFloats w, ClInts classIdx,
                  int sampledClasses, ClInts dimIdx, int sampledDims, ClFloats eNorms, ClFloats wNorms, ClFloats dE,
                  ClFloats dW, ClFloats projections) {
        ClFloats p = (ClFloats) projections.slice(0, batch);
        ClFloats q = (ClFloats) projections.slice(batch, sampledClasses);
        perRow(launch("cosine_row_projection").floats(dCos).floats(cos).i(sampledClasses).floats(p), batch);
        launch("cosine_col_projection").floats(dCos).floats(cos).i(batch).i(sampledClasses).floats(q)
                .run1d(sampledClasses, group);
        String shape = tuning.localTiles() ? "_tiled" : "_packed";
        product(launch("sampled_cosine_de" + shape).floats(dCos).floats(e).floats(w).ints(classIdx).ints(dimIdx)
                .floats(eNorms).floats(wNorms).floats(p).floats(dE).i(batch).i(embDim).i(sampledClasses)
                .i(sampledDims), batch, sampledDims);
        // the packed dW kernel reads dCos transposed (see sampled_cosine.cl)
        try (ClFloats g = tuning.localTiles() ? null : gemm.transposed(dCos, batch, sampledClasses, sampledClasses, 0,
                1)) {
            ClLaunch dw = launch("sampled_cosine_dw" + shape).floats(g == null ? dCos : g).floats(e).floats(w)
                    .ints(classIdx).ints(dimIdx).floats(eNorms).floats(wNorms).floats(q).floats(dW).i(batch).i(embDim)
                    .i(sampledClasses).i(sampledDims);
            if (tuning.localTiles()) {
                product(dw, sampledClasses, sampledDims);
            } else {
                dw.run(new long[] {ClLaunch.roundUp(ClGemm.tiles(sampledDims, ClGemm.PACK_COLS), ClGemm.PACK_GROUP[0]),
                        ClGemm.tiles(sampledClasses, ClGemm.PACK_ROWS), 1}, ClGemm.PACK_GROUP);
            }
        }
    }

    private void norms(ClFloats src, int ld, ClInts idx, boolean useIdx, ClInts dims, int sampledDims, ClFloats out,
                       int rows) {
        perRow(launch("sampled_norms").floats(src).i(ld).ints(idx).i(useIdx ? 1 : 0).ints(dims).i(sampledDims)
                .floats(out), rows);
    }

    /** Launches a product kernel over a rows x cols output in the device's tile shape. */
    private void product(ClLaunch launch, int rows, int cols) {
        if (tuning.localTiles()) {
            int ly = tuning.tileRows();
            launch.run(new long[] {(long) ClGemm.tiles(cols, ClGemm.TILE) * 16,
                    (long) ClGemm.tiles(rows, ClGemm.TILE) * ly}, new long[] {16, ly});
        } else {
            launch.run(ClGemm.packedGlobal(rows, cols, 1), ClGemm.PACK_GROUP);
        }
    }
}
