// C = alpha * op(A) op(B) + beta * C on strided batches (see Backend.gemm). Row-major; a view is a buffer
// plus an element offset. With beta == 0, C is never read, so NaNs already there do not propagate.
// tiles.cl comes first; the backend picks gemm_tiled on GPUs and gemm_packed on CPU devices.

inline float gemm_out(float acc, float alpha, float beta, __global const float* c) {
    return beta == 0.0f ? alpha * acc : alpha * acc + beta * *c;
}

// consecutive work-items read consecutive addresses in either layout when filling the tiles
TILE_KERNEL void gemm_tiled(const int transA, const int transB, const int M, const int N, const int K,
                            const float alpha, __global const float* A, const int aOff, const int lda,
                            const long strideA, __global const float* B, const int bOff, const int ldb,
                            const long strideB, const float beta, __global float* C, const int cOff, const int ldc,
                            const long strideC) {
    const long batch = get_global_id(2);
    A += aOff + batch * strideA;
    B += bOff + batch * strideB;
    C += cOff + batch * strideC;
    TILE_LOCAL_MEMORY
    float acc[WM][WN];
    TILED_ACCUMULATE(acc, K, M, !transA, transA ? A[gk * lda + gr] : A[gr * lda + gk],
                     N, transB, transB ? B[gc * ldb + gk] : B[gk * ldb + gc])
    for (int i = 0; i < WM; i++) {
        const int r = TILE_ROW(i);
        for (int j = 0; j < WN; j++) {
            const int c = TILE_COL(j);
            if (r < M && c < N) {
                __global float* out = C + r * ldc + c;
                *out = gemm_out(acc[i][j], alpha, beta, out);
            }
        }
    }
}

// Untransposed operands only: the backend packs a transposed operand first (cheap next to the product),
// which keeps both inner-loop streams contiguous. PACK_ROWS rows x 16 columns of C per work-item.
__kernel void gemm_packed(const int M, const int N, const int K, const float alpha,
                          __global const float* A, const int aOff, const int lda, const long strideA,
                          __global const float* B, const int bOff, const int ldb, const long strideB,
                          const float beta, __global float* C, const int cOff, const int ldc, const long strideC) {
    const long batch = get_global_id(2);
    // consecutive work-items take consecutive row blocks, so they share the B strip while it is in cache
    const int row0 = get_global_id(0) * PACK_ROWS, col = get_global_id(1) * 16;
    if (row0 >= M || col >= N) return;
    A += aOff + batch * strideA;
    B += bOff + batch * strideB;
    C += cOff + batch * strideC;
    const int rows = min(PACK_ROWS, M - row0), cols = min(16, N - col);
    float acc[PACK_ROWS][16];
    float packed[PACK_K * 16];
    int at[PACK_K];
    pack_zero(acc);
    for (int k0 = 0; k0 < K; k0 += PACK_K) {
        const int kn = min(PACK_K, K - k0);
        for (int k = 0; k < kn; k++) {
            __global const float* bk = B + (k0 + k) * ldb + col;
            at[k] = k0 + k;
            if (cols == 16) {
                vstore8(vload8(0, bk), 0, packed + k * 16);
                vstore8(vload8(1, bk), 1, packed + k * 16);
            } else {
                for (int q = 0; q < 16; q++) packed[k * 16 + q] = q < cols ? bk[q] : 0.0f;
            }
        }
        for (int rb = 0; rb < rows; rb += 4) {
            // rows past M repeat row M-1 and are not stored
            __global const float* a0 = A + min(row0 + rb, M - 1) * lda;
            __global const float* a1 = A + min(row0 + rb + 1, M - 1) * lda;
            __global const float* a2 = A + min(row0 + rb + 2, M - 1) * lda;
            __global const float* a3 = A + min(row0 + rb + 3, M - 1) * lda;
            pack_fma_rows(acc, rb, a0, a1, a2, a3, at, packed, kn);
        }
    }
    for (int r = 0; r < rows; r++) {
        __global float* c = C + (row0 + r) * ldc + col;
        for (int q = 0; q < cols; q++) c[q] = gemm_out(acc[r][q], alpha, beta, c + q);
    }
}

// out[b][c][r] = in[b][r * ld + c] for an rows x cols matrix per batch entry; out is packed (ld = rows).
// A work-item moves one 16 x 16 block through a private array: whole rows in, whole rows out, so both
// sides touch a cache line once instead of once per element.
__kernel void transpose(__global const float* in, const int io, const int ld, const long stride,
                        __global float* out, const int oo, const int rows, const int cols) {
    const int c0 = get_global_id(0) * 16, r0 = get_global_id(1) * 16;
    const long b = get_global_id(2);
    if (c0 >= cols || r0 >= rows) return;
    in += io + b * stride;
    out += oo + b * rows * cols;
    const int nr = min(16, rows - r0), nc = min(16, cols - c0);
    float block[16][16];
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++)
            block[c][r] = in[(r0 + r) * ld + c0 + c];
    for (int c = 0; c < nc; c++)
        for (int r = 0; r < nr; r++)
            out[(c0 + c) * rows + r0 + r] = block[c][r];
}
