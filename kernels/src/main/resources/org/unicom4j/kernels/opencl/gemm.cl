// C = alpha * op(A) op(B) + beta * C on strided batches (see Backend.gemm). Row-major; a view is a buffer
// plus an element offset. With beta == 0, C is never read, so NaNs already there do not propagate.
// tiles.cl comes first; the backend picks gemm_tiled on GPUs and gemm_strip on CPU devices.

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
    __local float As[TK * (TM + 1)];
    __local float Bs[TK * (TN + 1)];
    const int tid = get_local_id(1) * LX + get_local_id(0);
    const int row0 = get_group_id(1) * TM, col0 = get_group_id(0) * TN;
    float acc[WM][WN];
    tile_zero(acc);
    for (int k0 = 0; k0 < K; k0 += TK) {
        for (int e = tid; e < TM * TK; e += LX * LY) {
            int r, kk;
            if (transA) { kk = e / TM; r = e - kk * TM; } else { r = e / TK; kk = e - r * TK; }
            const int gr = row0 + r, gk = k0 + kk;
            As[kk * (TM + 1) + r] = (gr < M && gk < K) ? (transA ? A[gk * lda + gr] : A[gr * lda + gk]) : 0.0f;
        }
        for (int e = tid; e < TN * TK; e += LX * LY) {
            int c, kk;
            if (transB) { c = e / TK; kk = e - c * TK; } else { kk = e / TN; c = e - kk * TN; }
            const int gc = col0 + c, gk = k0 + kk;
            Bs[kk * (TN + 1) + c] = (gc < N && gk < K) ? (transB ? B[gc * ldb + gk] : B[gk * ldb + gc]) : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        tile_fma(As, Bs, acc, get_local_id(0), get_local_id(1));
        barrier(CLK_LOCAL_MEM_FENCE);
    }
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

inline void strip_store(float8 lo, float8 hi, int cols, float alpha, float beta, __global float* c) {
    float out[16];
    vstore8(lo, 0, out);
    vstore8(hi, 1, out);
    for (int j = 0; j < cols; j++)
        c[j] = gemm_out(out[j], alpha, beta, c + j);
}

// Untransposed operands only: the backend packs a transposed operand first (cheap next to the product),
// which keeps both inner-loop streams contiguous.
__kernel void gemm_strip(const int M, const int N, const int K, const float alpha,
                         __global const float* A, const int aOff, const int lda, const long strideA,
                         __global const float* B, const int bOff, const int ldb, const long strideB,
                         const float beta, __global float* C, const int cOff, const int ldc, const long strideC) {
    const long batch = get_global_id(2);
    // consecutive work-items take consecutive row blocks, so they share the B strip while it is in cache
    const int row = get_global_id(0) * 4, col = get_global_id(1) * 16;
    if (col >= N || row >= M) return;
    A += aOff + batch * strideA;
    B += bOff + batch * strideB;
    C += cOff + batch * strideC;
    const int cols = min(16, N - col);
    // rows past M repeat row M-1 (no branch in the loop) and are not stored
    __global const float* a0 = A + row * lda;
    __global const float* a1 = A + min(row + 1, M - 1) * lda;
    __global const float* a2 = A + min(row + 2, M - 1) * lda;
    __global const float* a3 = A + min(row + 3, M - 1) * lda;
    float8 c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
    if (cols == 16) {
        __global const float* bk = B + col;
        for (int k = 0; k < K; k++, bk += ldb) {
            const float8 b0 = vload8(0, bk), b1 = vload8(1, bk);
            STRIP_FMA(a0[k], a1[k], a2[k], a3[k], b0, b1)
        }
    } else {
        // the last strip: columns past N read column N-1 and are not stored
        int j[16];
        for (int q = 0; q < 16; q++) j[q] = min(col + q, N - 1);
        for (int k = 0; k < K; k++) {
            __global const float* bk = B + k * ldb;
            const float8 b0 = gather8(bk, j), b1 = gather8(bk, j + 8);
            STRIP_FMA(a0[k], a1[k], a2[k], a3[k], b0, b1)
        }
    }
    __global float* c = C + row * ldc + col;
    strip_store(c00, c01, cols, alpha, beta, c);
    if (row + 1 < M) strip_store(c10, c11, cols, alpha, beta, c + ldc);
    if (row + 2 < M) strip_store(c20, c21, cols, alpha, beta, c + 2 * ldc);
    if (row + 3 < M) strip_store(c30, c31, cols, alpha, beta, c + 3 * ldc);
}

// out[b][c][r] = in[b][r * ld + c] for an rows x cols matrix per batch entry; out is packed (ld = rows).
__kernel void transpose(__global const float* in, const int io, const int ld, const long stride,
                        __global float* out, const int oo, const int rows, const int cols) {
    const int c = get_global_id(0), r = get_global_id(1);
    const long b = get_global_id(2);
    if (c < cols && r < rows) out[oo + b * rows * cols + c * rows + r] = in[io + b * stride + r * ld + c];
}
