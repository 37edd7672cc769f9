// The fused sampled-prototype cosine logits and their backward (Backend.sampledCosineLogits). rows.cl and
// tiles.cl come first. E is [batch, embDim], W is [classes, embDim]; cls[0..sc) and dims[0..sd) are the
// sampled classes and feature dims (strictly increasing). Rows and dims are gathered while the tiles are
// loaded: W[cls][:, dims] is never materialised.
//
//   forward:  cos[i, j] = clamp(E[i, dims] . W[cls[j], dims] / (en[i] wn[j]), -1, 1)
//   backward: dE[i, dims] += (sum_j g[i, j] W[cls[j], dims] / wn[j] - E[i, dims] / en[i] p[i]) / en[i]
//             dW[cls[j], dims] += (sum_i g[i, j] E[i, dims] / en[i] - W[cls[j], dims] / wn[j] q[j]) / wn[j]
//             with p[i] = sum_j g[i, j] cos[i, j] and q[j] = sum_i g[i, j] cos[i, j].
// The backward writes dE by batch row and dW by sampled class (distinct rows of W), so no two work-items
// ever update the same element: no atomics, deterministic results.

#define NORM_EPS 1e-12f

// out[r] = max(||src[row, dims]||, 1e-12) with row = idx[r] when useIdx (W's sampled classes), else r (E)
ROW_KERNEL void sampled_norms(__global const float* src, const int so, const int ld, __global const int* idx,
                              const int io, const int useIdx, __global const int* dims, const int dio,
                              const int sd, __global float* out, const int oo) {
    __local float s[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* p = src + so + (useIdx ? idx[io + r] : r) * ld;
    float acc = 0.0f;
    for (int q = t; q < sd; q += ROW_GROUP) {
        const float v = p[dims[dio + q]];
        acc += v * v;
    }
    acc = group_sum(acc, s);
    if (t == 0) out[oo + r] = fmax(sqrt(acc), NORM_EPS);
}

inline float cosine(float dot, float ni, float nj) {
    return clamp(dot / (ni * nj), -1.0f, 1.0f);
}

TILE_KERNEL void sampled_cosine_tiled(__global const float* E, const int eo, __global const float* W, const int wo,
                                      __global const int* cls, const int clo, __global const int* dims,
                                      const int dio, __global const float* en, const int eno,
                                      __global const float* wn, const int wno, __global float* cosv,
                                      const int coo, const int batch, const int embDim, const int sc,
                                      const int sd) {
    TILE_LOCAL_MEMORY
    float acc[WM][WN];
    TILED_ACCUMULATE(acc, sd, batch, 1, E[eo + gr * embDim + dims[dio + gk]],
                     sc, 1, W[wo + cls[clo + gc] * embDim + dims[dio + gk]])
    for (int i = 0; i < WM; i++) {
        const int r = TILE_ROW(i);
        for (int j = 0; j < WN; j++) {
            const int c = TILE_COL(j);
            if (r < batch && c < sc) cosv[coo + r * sc + c] = cosine(acc[i][j], en[eno + r], wn[wno + c]);
        }
    }
}

// forward: rows are batch rows, columns sampled classes, the reduction runs over the sampled dims
__kernel void sampled_cosine_packed(__global const float* E, const int eo, __global const float* W, const int wo,
                                    __global const int* cls, const int clo, __global const int* dims,
                                    const int dio, __global const float* en, const int eno,
                                    __global const float* wn, const int wno, __global float* cosv, const int coo,
                                    const int batch, const int embDim, const int sc, const int sd) {
    const int row0 = get_global_id(0) * PACK_ROWS, col = get_global_id(1) * 16;
    if (row0 >= batch || col >= sc) return;
    const int rows = min(PACK_ROWS, batch - row0), cols = min(16, sc - col);
    int w[16]; // the 16 class rows of W (the last one repeated past sc)
    for (int q = 0; q < 16; q++) w[q] = wo + cls[clo + min(col + q, sc - 1)] * embDim;
    float acc[PACK_ROWS][16];
    float packed[PACK_K * 16];
    int at[PACK_K];
    pack_zero(acc);
    for (int k0 = 0; k0 < sd; k0 += PACK_K) {
        const int kn = min(PACK_K, sd - k0);
        for (int k = 0; k < kn; k++) {
            const int d = dims[dio + k0 + k];
            at[k] = d;
            for (int q = 0; q < 16; q++) packed[k * 16 + q] = W[w[q] + d];
        }
        for (int rb = 0; rb < rows; rb += 4) {
            // rows past the batch repeat its last row and are not stored
            __global const float* e0 = E + eo + min(row0 + rb, batch - 1) * embDim;
            __global const float* e1 = E + eo + min(row0 + rb + 1, batch - 1) * embDim;
            __global const float* e2 = E + eo + min(row0 + rb + 2, batch - 1) * embDim;
            __global const float* e3 = E + eo + min(row0 + rb + 3, batch - 1) * embDim;
            pack_fma_rows(acc, rb, e0, e1, e2, e3, at, packed, kn);
        }
    }
    for (int r = 0; r < rows; r++)
        for (int q = 0; q < cols; q++)
            cosv[coo + (row0 + r) * sc + col + q] = cosine(acc[r][q], en[eno + row0 + r], wn[wno + col + q]);
}

// p[i] = sum_j g[i, j] cos[i, j]: one work-group per batch row
ROW_KERNEL void cosine_row_projection(__global const float* g, const int go, __global const float* cosv,
                                      const int co, const int sc, __global float* p, const int po) {
    __local float s[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    float acc = 0.0f;
    for (int j = t; j < sc; j += ROW_GROUP) acc += g[go + r * sc + j] * cosv[co + r * sc + j];
    acc = group_sum(acc, s);
    if (t == 0) p[po + r] = acc;
}

// q[j] = sum_i g[i, j] cos[i, j]: one work-item per sampled class
__kernel void cosine_col_projection(__global const float* g, const int go, __global const float* cosv,
                                    const int co, const int batch, const int sc, __global float* q, const int qo) {
    const int j = get_global_id(0);
    if (j >= sc) return;
    float acc = 0.0f;
    for (int i = 0; i < batch; i++) acc += g[go + i * sc + j] * cosv[co + i * sc + j];
    q[qo + j] = acc;
}

// dE tile: rows are batch rows, columns are sampled dims, the reduction runs over sampled classes
TILE_KERNEL void sampled_cosine_de_tiled(__global const float* g, const int go, __global const float* E,
                                         const int eo, __global const float* W, const int wo,
                                         __global const int* cls, const int clo, __global const int* dims,
                                         const int dio, __global const float* en, const int eno,
                                         __global const float* wn, const int wno, __global const float* p,
                                         const int po, __global float* dE, const int deo, const int batch,
                                         const int embDim, const int sc, const int sd) {
    TILE_LOCAL_MEMORY
    float acc[WM][WN];
    TILED_ACCUMULATE(acc, sc, batch, 1, g[go + gr * sc + gk],
                     sd, 0, W[wo + cls[clo + gk] * embDim + dims[dio + gc]] / wn[wno + gk])
    for (int i = 0; i < WM; i++) {
        const int r = TILE_ROW(i);
        if (r >= batch) continue;
        const float ni = en[eno + r], pi = p[po + r];
        for (int j = 0; j < WN; j++) {
            const int c = TILE_COL(j);
            if (c < sd) {
                const int at = r * embDim + dims[dio + c];
                dE[deo + at] += (acc[i][j] - E[eo + at] / ni * pi) / ni;
            }
        }
    }
}

// dW tile: rows are sampled classes, columns are sampled dims, the reduction runs over the batch
TILE_KERNEL void sampled_cosine_dw_tiled(__global const float* g, const int go, __global const float* E,
                                         const int eo, __global const float* W, const int wo,
                                         __global const int* cls, const int clo, __global const int* dims,
                                         const int dio, __global const float* en, const int eno,
                                         __global const float* wn, const int wno, __global const float* q,
                                         const int qo, __global float* dW, const int dwo, const int batch,
                                         const int embDim, const int sc, const int sd) {
    TILE_LOCAL_MEMORY
    float acc[WM][WN];
    TILED_ACCUMULATE(acc, batch, sc, 0, g[go + gk * sc + gr],
                     sd, 0, E[eo + gk * embDim + dims[dio + gc]] / en[eno + gk])
    for (int i = 0; i < WM; i++) {
        const int r = TILE_ROW(i);
        if (r >= sc) continue;
        const float nj = wn[wno + r], qj = q[qo + r];
        const int rowW = cls[clo + r] * embDim;
        for (int j = 0; j < WN; j++) {
            const int c = TILE_COL(j);
            if (c < sd) {
                const int at = rowW + dims[dio + c];
                dW[dwo + at] += (acc[i][j] - W[wo + at] / nj * qj) / nj;
            }
        }
    }
}

// dE, packed: rows are batch rows, columns sampled dims, the reduction runs over the sampled classes
__kernel void sampled_cosine_de_packed(__global const float* g, const int go, __global const float* E,
                                       const int eo, __global const float* W, const int wo,
                                       __global const int* cls, const int clo, __global const int* dims,
                                       const int dio, __global const float* en, const int eno,
                                       __global const float* wn, const int wno, __global const float* p,
                                       const int po, __global float* dE, const int deo, const int batch,
                                       const int embDim, const int sc, const int sd) {
    const int row0 = get_global_id(0) * PACK_ROWS, col = get_global_id(1) * 16;
    if (row0 >= batch || col >= sd) return;
    const int rows = min(PACK_ROWS, batch - row0), cols = min(16, sd - col);
    int d[16];
    for (int q = 0; q < 16; q++) d[q] = dims[dio + min(col + q, sd - 1)];
    float acc[PACK_ROWS][16];
    float packed[PACK_K * 16];
    int at[PACK_K];
    pack_zero(acc);
    for (int j0 = 0; j0 < sc; j0 += PACK_K) {
        const int kn = min(PACK_K, sc - j0);
        for (int k = 0; k < kn; k++) {
            __global const float* wj = W + wo + cls[clo + j0 + k] * embDim;
            const float rj = 1.0f / wn[wno + j0 + k];
            at[k] = j0 + k;
            for (int q = 0; q < 16; q++) packed[k * 16 + q] = wj[d[q]] * rj;
        }
        for (int rb = 0; rb < rows; rb += 4) {
            __global const float* g0 = g + go + min(row0 + rb, batch - 1) * sc;
            __global const float* g1 = g + go + min(row0 + rb + 1, batch - 1) * sc;
            __global const float* g2 = g + go + min(row0 + rb + 2, batch - 1) * sc;
            __global const float* g3 = g + go + min(row0 + rb + 3, batch - 1) * sc;
            pack_fma_rows(acc, rb, g0, g1, g2, g3, at, packed, kn);
        }
    }
    for (int r = 0; r < rows; r++) {
        const float ni = en[eno + row0 + r], pi = p[po + row0 + r];
        for (int q = 0; q < cols; q++) {
            const int o = (row0 + r) * embDim + d[q];
            dE[deo + o] += (acc[r][q] - E[eo + o] / ni * pi) / ni;
        }
    }
}

// dW, packed: rows are sampled classes, columns sampled dims, the reduction runs over the batch. gT is
// dCos transposed ([sc, batch]): read in place, the 4 classes of a block would walk dCos with a stride of
// sc floats, which for power-of-two sc maps every step to the same L1 set.
__kernel void sampled_cosine_dw_packed(__global const float* gT, const int go, __global const float* E,
                                       const int eo, __global const float* W, const int wo,
                                       __global const int* cls, const int clo, __global const int* dims,
                                       const int dio, __global const float* en, const int eno,
                                       __global const float* wn, const int wno, __global const float* q,
                                       const int qo, __global float* dW, const int dwo, const int batch,
                                       const int embDim, const int sc, const int sd) {
    // consecutive work-items share the class rows (dims vary fastest), so the rows of W and dW they
    // update stay in cache from one work-item to the next instead of being fetched once per dim strip
    const int col = get_global_id(0) * 16, row0 = get_global_id(1) * PACK_ROWS;
    if (row0 >= sc || col >= sd) return;
    const int rows = min(PACK_ROWS, sc - row0), cols = min(16, sd - col);
    int d[16];
    for (int k = 0; k < 16; k++) d[k] = dims[dio + min(col + k, sd - 1)];
    float acc[PACK_ROWS][16];
    float packed[PACK_K * 16];
    int at[PACK_K];
    pack_zero(acc);
    for (int i0 = 0; i0 < batch; i0 += PACK_K) {
        const int kn = min(PACK_K, batch - i0);
        for (int k = 0; k < kn; k++) {
            __global const float* ei = E + eo + (i0 + k) * embDim;
            const float ri = 1.0f / en[eno + i0 + k];
            at[k] = i0 + k;
            for (int t = 0; t < 16; t++) packed[k * 16 + t] = ei[d[t]] * ri;
        }
        for (int rb = 0; rb < rows; rb += 4) {
            __global const float* g0 = gT + go + min(row0 + rb, sc - 1) * batch;
            __global const float* g1 = gT + go + min(row0 + rb + 1, sc - 1) * batch;
            __global const float* g2 = gT + go + min(row0 + rb + 2, sc - 1) * batch;
            __global const float* g3 = gT + go + min(row0 + rb + 3, sc - 1) * batch;
            pack_fma_rows(acc, rb, g0, g1, g2, g3, at, packed, kn);
        }
    }
    for (int r = 0; r < rows; r++) {
        const float nj = wn[wno + row0 + r], qj = q[qo + row0 + r];
        const int rowW = cls[clo + row0 + r] * embDim;
        for (int k = 0; k < cols; k++) {
            const int o = rowW + d[k];
            dW[dwo + o] += (acc[r][k] - W[wo + o] / nj * qj) / nj;
        }
    }
}
