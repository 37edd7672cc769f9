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
    __local float As[TK * (TM + 1)];
    __local float Bs[TK * (TN + 1)];
    const int tid = get_local_id(1) * LX + get_local_id(0);
    const int row0 = get_group_id(1) * TM, col0 = get_group_id(0) * TN;
    float acc[WM][WN];
    tile_zero(acc);
    for (int k0 = 0; k0 < sd; k0 += TK) {
        for (int e = tid; e < TM * TK; e += LX * LY) {
            const int r = e / TK, kk = e - r * TK, gr = row0 + r, gk = k0 + kk;
            As[kk * (TM + 1) + r] = (gr < batch && gk < sd) ? E[eo + gr * embDim + dims[dio + gk]] : 0.0f;
        }
        for (int e = tid; e < TN * TK; e += LX * LY) {
            const int c = e / TK, kk = e - c * TK, gc = col0 + c, gk = k0 + kk;
            Bs[kk * (TN + 1) + c] = (gc < sc && gk < sd) ? W[wo + cls[clo + gc] * embDim + dims[dio + gk]] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        tile_fma(As, Bs, acc, get_local_id(0), get_local_id(1));
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < WM; i++) {
        const int r = TILE_ROW(i);
        for (int j = 0; j < WN; j++) {
            const int c = TILE_COL(j);
            if (r < batch && c < sc) cosv[coo + r * sc + c] = cosine(acc[i][j], en[eno + r], wn[wno + c]);
        }
    }
}

inline void strip_spill(float8 lo, float8 hi, float* out) {
    vstore8(lo, 0, out);
    vstore8(hi, 1, out);
}

// 4 batch rows x 16 sampled classes per work-item
__kernel void sampled_cosine_strip(__global const float* E, const int eo, __global const float* W, const int wo,
                                   __global const int* cls, const int clo, __global const int* dims,
                                   const int dio, __global const float* en, const int eno,
                                   __global const float* wn, const int wno, __global float* cosv, const int coo,
                                   const int batch, const int embDim, const int sc, const int sd) {
    const int row = get_global_id(0) * 4, col = get_global_id(1) * 16;
    if (row >= batch || col >= sc) return;
    const int cols = min(16, sc - col);
    __global const float* e0 = E + eo + row * embDim;
    __global const float* e1 = E + eo + min(row + 1, batch - 1) * embDim;
    __global const float* e2 = E + eo + min(row + 2, batch - 1) * embDim;
    __global const float* e3 = E + eo + min(row + 3, batch - 1) * embDim;
    int w[16]; // offsets of the 16 class rows in W (the last one repeated past sc)
    for (int q = 0; q < 16; q++) w[q] = wo + cls[clo + min(col + q, sc - 1)] * embDim;
    float8 c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
    for (int t = 0; t < sd; t++) {
        const int d = dims[dio + t];
        const float8 b0 = gather8(W + d, w), b1 = gather8(W + d, w + 8);
        STRIP_FMA(e0[d], e1[d], e2[d], e3[d], b0, b1)
    }
    float out[4][16];
    strip_spill(c00, c01, out[0]);
    strip_spill(c10, c11, out[1]);
    strip_spill(c20, c21, out[2]);
    strip_spill(c30, c31, out[3]);
    for (int r = 0; r < 4 && row + r < batch; r++)
        for (int q = 0; q < cols; q++)
            cosv[coo + (row + r) * sc + col + q] = cosine(out[r][q], en[eno + row + r], wn[wno + col + q]);
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
    __local float As[TK * (TM + 1)];
    __local float Bs[TK * (TN + 1)];
    const int tid = get_local_id(1) * LX + get_local_id(0);
    const int row0 = get_group_id(1) * TM, col0 = get_group_id(0) * TN;
    float acc[WM][WN];
    tile_zero(acc);
    for (int k0 = 0; k0 < sc; k0 += TK) {
        for (int e = tid; e < TM * TK; e += LX * LY) {
            const int r = e / TK, kk = e - r * TK, gr = row0 + r, gk = k0 + kk;
            As[kk * (TM + 1) + r] = (gr < batch && gk < sc) ? g[go + gr * sc + gk] : 0.0f;
        }
        for (int e = tid; e < TN * TK; e += LX * LY) {
            const int kk = e / TN, c = e - kk * TN, gc = col0 + c, gk = k0 + kk;
            Bs[kk * (TN + 1) + c] = (gc < sd && gk < sc)
                    ? W[wo + cls[clo + gk] * embDim + dims[dio + gc]] / wn[wno + gk] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        tile_fma(As, Bs, acc, get_local_id(0), get_local_id(1));
        barrier(CLK_LOCAL_MEM_FENCE);
    }
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
    __local float As[TK * (TM + 1)];
    __local float Bs[TK * (TN + 1)];
    const int tid = get_local_id(1) * LX + get_local_id(0);
    const int row0 = get_group_id(1) * TM, col0 = get_group_id(0) * TN;
    float acc[WM][WN];
    tile_zero(acc);
    for (int k0 = 0; k0 < batch; k0 += TK) {
        for (int e = tid; e < TM * TK; e += LX * LY) {
            const int kk = e / TM, r = e - kk * TM, gr = row0 + r, gk = k0 + kk;
            As[kk * (TM + 1) + r] = (gr < sc && gk < batch) ? g[go + gk * sc + gr] : 0.0f;
        }
        for (int e = tid; e < TN * TK; e += LX * LY) {
            const int kk = e / TN, c = e - kk * TN, gc = col0 + c, gk = k0 + kk;
            Bs[kk * (TN + 1) + c] = (gc < sd && gk < batch)
                    ? E[eo + gk * embDim + dims[dio + gc]] / en[eno + gk] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        tile_fma(As, Bs, acc, get_local_id(0), get_local_id(1));
        barrier(CLK_LOCAL_MEM_FENCE);
    }
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

// dE strip: 4 batch rows x 16 sampled dims per work-item, reducing over the sampled classes
__kernel void sampled_cosine_de_strip(__global const float* g, const int go, __global const float* E,
                                      const int eo, __global const float* W, const int wo,
                                      __global const int* cls, const int clo, __global const int* dims,
                                      const int dio, __global const float* en, const int eno,
                                      __global const float* wn, const int wno, __global const float* p,
                                      const int po, __global float* dE, const int deo, const int batch,
                                      const int embDim, const int sc, const int sd) {
    const int row = get_global_id(0) * 4, col = get_global_id(1) * 16;
    if (row >= batch || col >= sd) return;
    const int cols = min(16, sd - col);
    __global const float* g0 = g + go + row * sc;
    __global const float* g1 = g + go + min(row + 1, batch - 1) * sc;
    __global const float* g2 = g + go + min(row + 2, batch - 1) * sc;
    __global const float* g3 = g + go + min(row + 3, batch - 1) * sc;
    int d[16];
    for (int k = 0; k < 16; k++) d[k] = dims[dio + min(col + k, sd - 1)];
    float8 c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
    for (int j = 0; j < sc; j++) {
        __global const float* wj = W + wo + cls[clo + j] * embDim;
        const float nj = wn[wno + j];
        const float8 b0 = gather8(wj, d) / nj, b1 = gather8(wj, d + 8) / nj;
        STRIP_FMA(g0[j], g1[j], g2[j], g3[j], b0, b1)
    }
    float out[4][16];
    strip_spill(c00, c01, out[0]);
    strip_spill(c10, c11, out[1]);
    strip_spill(c20, c21, out[2]);
    strip_spill(c30, c31, out[3]);
    for (int r = 0; r < 4 && row + r < batch; r++) {
        const float ni = en[eno + row + r], pi = p[po + row + r];
        for (int k = 0; k < cols; k++) {
            const int at = (row + r) * embDim + d[k];
            dE[deo + at] += (out[r][k] - E[eo + at] / ni * pi) / ni;
        }
    }
}

// dW strip: 4 sampled classes x 16 sampled dims per work-item, reducing over the batch
__kernel void sampled_cosine_dw_strip(__global const float* g, const int go, __global const float* E,
                                      const int eo, __global const float* W, const int wo,
                                      __global const int* cls, const int clo, __global const int* dims,
                                      const int dio, __global const float* en, const int eno,
                                      __global const float* wn, const int wno, __global const float* q,
                                      const int qo, __global float* dW, const int dwo, const int batch,
                                      const int embDim, const int sc, const int sd) {
    const int row = get_global_id(0) * 4, col = get_global_id(1) * 16;
    if (row >= sc || col >= sd) return;
    const int cols = min(16, sd - col);
    const int j1 = min(row + 1, sc - 1), j2 = min(row + 2, sc - 1), j3 = min(row + 3, sc - 1);
    int d[16];
    for (int k = 0; k < 16; k++) d[k] = dims[dio + min(col + k, sd - 1)];
    float8 c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
    for (int i = 0; i < batch; i++) {
        __global const float* ei = E + eo + i * embDim;
        __global const float* gi = g + go + i * sc;
        const float ni = en[eno + i];
        const float8 b0 = gather8(ei, d) / ni, b1 = gather8(ei, d + 8) / ni;
        STRIP_FMA(gi[row], gi[j1], gi[j2], gi[j3], b0, b1)
    }
    float out[4][16];
    strip_spill(c00, c01, out[0]);
    strip_spill(c10, c11, out[1]);
    strip_spill(c20, c21, out[2]);
    strip_spill(c30, c31, out[3]);
    for (int r = 0; r < 4 && row + r < sc; r++) {
        const float nj = wn[wno + row + r], qj = q[qo + row + r];
        const int rowW = cls[clo + row + r] * embDim;
        for (int k = 0; k < cols; k++) {
            const int at = rowW + d[k];
            dW[dwo + at] += (out[r][k] - W[wo + at] / nj * qj) / nj;
        }
    }
}
