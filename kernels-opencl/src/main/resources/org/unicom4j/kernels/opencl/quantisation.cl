// Product quantisation (Backend.quantisation(), spec sscq.md): the soft quantiser, hard codes, cosine assignment
// probabilities and the codeword diversity. rows.cl and sums.cl come first. Features [rows, books * dim],
// codebooks [books, words, dim], probabilities [rows, books, words]. Per-row work is one work-item per
// (row, book); sums over rows one work-item per codeword entry, so nothing needs atomics.

inline float squared_distance(__global const float* a, __global const float* b, const int dim) {
    float d = 0.0f;
    for (int t = 0; t < dim; t++) {
        const float diff = a[t] - b[t];
        d = fma(diff, diff, d);
    }
    return d;
}

inline float dot_of(__global const float* a, __global const float* b, const int dim) {
    float d = 0.0f;
    for (int t = 0; t < dim; t++) d = fma(a[t], b[t], d);
    return d;
}

inline float inverse_norm(__global const float* a, const int dim) {
    return 1.0f / fmax(sqrt(dot_of(a, a, dim)), 1e-12f);
}

// p[0..n) = softmax of the logits held there, whose largest is best
inline void softmax_in_place(__global float* p, const int n, const float best) {
    acc_t sum = 0;
    for (int k = 0; k < n; k++) {
        p[k] = exp(p[k] - best);
        sum += p[k];
    }
    const float inv = (float) (1 / sum);
    for (int k = 0; k < n; k++) p[k] *= inv;
}

// p = softmax_k(-||f - c_k||^2 / t), z = sum_k p_k c_k; one work-item per (row, book)
__kernel void soft_quantise(__global const float* f, const int fo, __global const float* c, const int co,
                            const int rows, const int books, const int words, const int dim, const float scale,
                            __global float* p, const int po, __global float* z, const int zo) {
    const int rm = get_global_id(0);
    if (rm >= rows * books) return;
    const int m = rm % books;
    __global const float* fv = f + fo + rm * dim;
    __global const float* book = c + co + m * words * dim;
    __global float* pv = p + po + rm * words;
    __global float* zv = z + zo + rm * dim;
    float best = -INFINITY;
    for (int k = 0; k < words; k++) {
        pv[k] = scale * squared_distance(fv, book + k * dim, dim);
        best = fmax(best, pv[k]);
    }
    softmax_in_place(pv, words, best);
    for (int t = 0; t < dim; t++) zv[t] = 0.0f;
    for (int k = 0; k < words; k++) {
        for (int t = 0; t < dim; t++) zv[t] = fma(pv[k], book[k * dim + t], zv[t]);
    }
}

// codes[row, book] = argmin_k ||f - c_k||^2, the lowest k on ties
__kernel void assign_codes(__global const float* f, const int fo, __global const float* c, const int co,
                           const int rows, const int books, const int words, const int dim,
                           __global int* codes, const int so) {
    const int rm = get_global_id(0);
    if (rm >= rows * books) return;
    __global const float* fv = f + fo + rm * dim;
    __global const float* book = c + co + (rm % books) * words * dim;
    int best = 0;
    float bestDistance = INFINITY;
    for (int k = 0; k < words; k++) {
        const float d = squared_distance(fv, book + k * dim, dim);
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    codes[so + rm] = best;
}

// Per (row, book): da_k = p_k (dz . c_k - dz . z) into dLogits, and dF += sum_k da_k scale (f - c_k), scale = -2/t
__kernel void soft_quantise_backward_rows(__global const float* dz, const int dzo, __global const float* f,
                                          const int fo, __global const float* z, const int zo,
                                          __global const float* p, const int po, __global const float* c,
                                          const int co, const int rows, const int books, const int words,
                                          const int dim, const float scale, __global float* df, const int dfo,
                                          __global float* dLogits, const int lo) {
    const int rm = get_global_id(0);
    if (rm >= rows * books) return;
    __global const float* dzv = dz + dzo + rm * dim;
    __global const float* fv = f + fo + rm * dim;
    __global const float* book = c + co + (rm % books) * words * dim;
    __global float* dfv = df + dfo + rm * dim;
    const float dzz = dot_of(dzv, z + zo + rm * dim, dim);
    for (int k = 0; k < words; k++) {
        __global const float* cw = book + k * dim;
        const float da = p[po + rm * words + k] * (dot_of(dzv, cw, dim) - dzz);
        dLogits[lo + rm * words + k] = da;
        const float g = scale * da;
        for (int t = 0; t < dim; t++) dfv[t] = fma(g, fv[t] - cw[t], dfv[t]);
    }
}

// Per codeword entry (book, word, t): dC += sum_i p dz_t + da scale (f_t - c_t), scale = 2/t
__kernel void soft_quantise_backward_codewords(__global const float* dz, const int dzo, __global const float* f,
                                               const int fo, __global const float* p, const int po,
                                               __global const float* dLogits, const int lo,
                                               __global const float* c, const int co, const int rows,
                                               const int books, const int words, const int dim, const float scale,
                                               __global float* dc, const int dco) {
    const int e = get_global_id(0);
    if (e >= books * words * dim) return;
    const int t = e % dim, bk = e / dim, m = bk / words;
    const float ct = c[co + e];
    acc_t acc = 0;
    for (int i = 0; i < rows; i++) {
        const int at = (i * books + m) * dim + t, pk = i * books * words + bk;
        acc += (acc_t) p[po + pk] * dz[dzo + at] + (acc_t) scale * dLogits[lo + pk] * (f[fo + at] - ct);
    }
    dc[dco + e] += (float) acc;
}

// p = softmax_k(cos(f, c_k)) per (row, book)
__kernel void cosine_assignments(__global const float* f, const int fo, __global const float* c, const int co,
                                 const int rows, const int books, const int words, const int dim,
                                 __global float* p, const int po) {
    const int rm = get_global_id(0);
    if (rm >= rows * books) return;
    __global const float* fv = f + fo + rm * dim;
    __global const float* book = c + co + (rm % books) * words * dim;
    __global float* pv = p + po + rm * words;
    const float fInv = inverse_norm(fv, dim);
    float best = -INFINITY;
    for (int k = 0; k < words; k++) {
        __global const float* cw = book + k * dim;
        pv[k] = dot_of(fv, cw, dim) * fInv * inverse_norm(cw, dim);
        best = fmax(best, pv[k]);
    }
    softmax_in_place(pv, words, best);
}

// Per (row, book): dcos_k = p_k (dp_k - sum_j p_j dp_j) into dCos, 1/|f| into inverseNorms, and
// dF += (dfh - fh (fh . dfh)) / |f| with dfh = sum_k dcos_k c_k / |c_k|
__kernel void cosine_assignments_backward_rows(__global const float* dp, const int dpo, __global const float* p,
                                               const int po, __global const float* f, const int fo,
                                               __global const float* c, const int co, const int rows,
                                               const int books, const int words, const int dim,
                                               __global float* df, const int dfo, __global float* dCos,
                                               const int dco, __global float* inverseNorms, const int no) {
    const int rm = get_global_id(0);
    if (rm >= rows * books) return;
    __global const float* fv = f + fo + rm * dim;
    __global const float* book = c + co + (rm % books) * words * dim;
    __global float* dfv = df + dfo + rm * dim;
    float mean = 0.0f;
    for (int k = 0; k < words; k++) mean = fma(p[po + rm * words + k], dp[dpo + rm * words + k], mean);
    const float fInv = inverse_norm(fv, dim);
    inverseNorms[no + rm] = fInv;
    float along = 0.0f;
    for (int k = 0; k < words; k++) {
        __global const float* cw = book + k * dim;
        const float g = p[po + rm * words + k] * (dp[dpo + rm * words + k] - mean);
        dCos[dco + rm * words + k] = g;
        along = fma(g * inverse_norm(cw, dim), dot_of(fv, cw, dim) * fInv, along);
    }
    for (int k = 0; k < words; k++) {
        __global const float* cw = book + k * dim;
        const float g = dCos[dco + rm * words + k] * inverse_norm(cw, dim) * fInv;
        for (int t = 0; t < dim; t++) dfv[t] = fma(g, cw[t], dfv[t]);
    }
    const float back = -along * fInv * fInv;
    for (int t = 0; t < dim; t++) dfv[t] = fma(back, fv[t], dfv[t]);
}

// sum_i dcos[i, bk] fh_i[t] for codeword bk of book m
inline acc_t codeword_sum(__global const float* dCos, const int dco, __global const float* inverseNorms,
                          const int no, __global const float* f, const int fo, const int rows, const int books,
                          const int words, const int dim, const int bk, const int m, const int t) {
    acc_t acc = 0;
    for (int i = 0; i < rows; i++) {
        acc += (acc_t) dCos[dco + i * books * words + bk] * f[fo + (i * books + m) * dim + t]
               * inverseNorms[no + i * books + m];
    }
    return acc;
}

// Per codeword (book, word): dch = sum_i dcos_i fh_i, dC += (dch - ch (ch . dch)) / |c|
__kernel void cosine_assignments_backward_codewords(__global const float* dCos, const int dco,
                                                    __global const float* inverseNorms, const int no,
                                                    __global const float* f, const int fo,
                                                    __global const float* c, const int co, const int rows,
                                                    const int books, const int words, const int dim,
                                                    __global float* dc, const int dcbo) {
    const int bk = get_global_id(0);
    if (bk >= books * words) return;
    const int m = bk / words;
    __global const float* cw = c + co + bk * dim;
    const float cInv = inverse_norm(cw, dim);
    acc_t along = 0;
    for (int t = 0; t < dim; t++) {
        along += codeword_sum(dCos, dco, inverseNorms, no, f, fo, rows, books, words, dim, bk, m, t) * cw[t];
    }
    along *= cInv;
    for (int t = 0; t < dim; t++) {
        const acc_t dch = codeword_sum(dCos, dco, inverseNorms, no, f, fo, rows, books, words, dim, bk, m, t);
        dc[dcbo + bk * dim + t] += (float) ((dch - along * cw[t] * cInv) * cInv);
    }
}

// Column j = (book, word): pbar, its loss term pbar log(pbar + 1e-5) into columnLoss, and
// dp[i, j] = (log(pbar + eps) + pbar / (pbar + eps)) / (books rows)
__kernel void codeword_diversity(__global const float* p, const int po, const int rows, const int books,
                                 const int words, __global float* dp, const int dpo, __global float* columnLoss,
                                 const int clo) {
    const int j = get_global_id(0), cols = books * words;
    if (j >= cols) return;
    acc_t mean = 0;
    for (int i = 0; i < rows; i++) mean += p[po + i * cols + j];
    mean /= rows;
#ifdef cl_khr_fp64
    const acc_t eps = 1e-5;
#else
    const acc_t eps = 1e-5f;
#endif
    columnLoss[clo + j] = (float) (mean * log(mean + eps));
    const float g = (float) ((log(mean + eps) + mean / (mean + eps)) / books / rows);
    for (int i = 0; i < rows; i++) dp[dpo + i * cols + j] = g;
}
