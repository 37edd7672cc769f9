// Shared by the GEMM-like kernels (gemm.cl, sampled_cosine.cl), which come after this file.
//
// GPU shape ("tiled"): a TM x TN tile of the output per work-group of LX x LY work-items, each owning
// WM x WN outputs spread LX (LY) apart; TK-deep slices of both operands are staged in local memory,
// gathered or transposed on the way in, with one column of padding so column-wise stores do not all hit
// one bank.
// CPU shape ("packed", below): no local memory and no barriers (PoCL keeps every value alive across a
// barrier in memory); a work-item packs its operand block privately and runs the strip micro-kernel:
// 4 rows x 16 columns in eight float8 registers, which with the two B vectors and a broadcast fit the
// 16 AVX2 registers.

#ifndef TM
#define TM 64
#endif
#ifndef TN
#define TN 64
#endif
#ifndef TK
#define TK 16
#endif
#ifndef LX
#define LX 16
#endif
#ifndef LY
#define LY 16
#endif

#define WM (TM / LY)
#define WN (TN / LX)
#define TILE_KERNEL __kernel __attribute__((reqd_work_group_size(LX, LY, 1)))

// acc += As^T Bs over one TK-deep slice; As is [TK][TM + 1], Bs is [TK][TN + 1]
inline void tile_fma(__local const float* As, __local const float* Bs, float acc[WM][WN], int tx, int ty) {
    for (int kk = 0; kk < TK; kk++) {
        float b[WN];
        for (int j = 0; j < WN; j++)
            b[j] = Bs[kk * (TN + 1) + tx + j * LX];
        for (int i = 0; i < WM; i++) {
            const float a = As[kk * (TM + 1) + ty + i * LY];
            for (int j = 0; j < WN; j++)
                acc[i][j] = fma(a, b[j], acc[i][j]);
        }
    }
}

inline void tile_zero(float acc[WM][WN]) {
    for (int i = 0; i < WM; i++)
        for (int j = 0; j < WN; j++)
            acc[i][j] = 0.0f;
}

// The reduction loop of every tiled kernel: acc = A'B' over K for this work-group's TM x TN tile, staged
// through As and Bs (declared with TILE_LOCAL_MEMORY at kernel scope, as OpenCL requires). A_AT is A'[gr][gk],
// read only where gr < A_ROWS and gk < K; B_AT is B'[gk][gc], read only where gc < B_COLS and gk < K.
// A_K_FAST (B_K_FAST) makes consecutive work-items walk k rather than gr (gc): pick whichever keeps their
// global reads consecutive in that operand's layout.
#define TILE_LOCAL_MEMORY __local float As[TK * (TM + 1)]; __local float Bs[TK * (TN + 1)];
#define TILED_ACCUMULATE(acc, K, A_ROWS, A_K_FAST, A_AT, B_COLS, B_K_FAST, B_AT)                          \
    tile_zero(acc);                                                                                      \
    for (int k0 = 0; k0 < (K); k0 += TK) {                                                               \
        const int tid = get_local_id(1) * LX + get_local_id(0);                                          \
        for (int e = tid; e < TM * TK; e += LX * LY) {                                                   \
            const int r = (A_K_FAST) ? e / TK : e % TM, kk = (A_K_FAST) ? e % TK : e / TM;               \
            const int gr = get_group_id(1) * TM + r, gk = k0 + kk;                                       \
            As[kk * (TM + 1) + r] = (gr < (A_ROWS) && gk < (K)) ? (A_AT) : 0.0f;                          \
        }                                                                                                \
        for (int e = tid; e < TN * TK; e += LX * LY) {                                                   \
            const int c = (B_K_FAST) ? e / TK : e % TN, kk = (B_K_FAST) ? e % TK : e / TN;               \
            const int gc = get_group_id(0) * TN + c, gk = k0 + kk;                                       \
            Bs[kk * (TN + 1) + c] = (gc < (B_COLS) && gk < (K)) ? (B_AT) : 0.0f;                          \
        }                                                                                                \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                    \
        tile_fma(As, Bs, acc, get_local_id(0), get_local_id(1));                                         \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                    \
    }

// Rows ty + i * LY and columns tx + j * LX of the work-group's tile belong to this work-item.
#define TILE_ROW(i) (get_group_id(1) * TM + get_local_id(1) + (i) * LY)
#define TILE_COL(j) (get_group_id(0) * TN + get_local_id(0) + (j) * LX)

// The strip micro-kernel: c_r_h += a_r * b_h for rows r = 0..3 and halves h = 0, 1
#define STRIP_FMA(a0, a1, a2, a3, b0, b1)                                                               \
    c00 = fma((float8)(a0), b0, c00); c01 = fma((float8)(a0), b1, c01);                                  \
    c10 = fma((float8)(a1), b0, c10); c11 = fma((float8)(a1), b1, c11);                                  \
    c20 = fma((float8)(a2), b0, c20); c21 = fma((float8)(a2), b1, c21);                                  \
    c30 = fma((float8)(a3), b0, c30); c31 = fma((float8)(a3), b1, c31);

// CPU shape, packed: a work-item owns PACK_ROWS output rows x 16 output columns. For each PACK_K slice of
// the reduction it copies (or gathers) the 16 columns' operand once into a private packed block (16
// contiguous floats per step, L1-resident), then sweeps its rows in blocks of 4 with the strip
// micro-kernel, so each loaded value serves PACK_ROWS rows instead of 4. Partial sums wait in a private
// array between slices. A operand: a_r[at[k]] for the 4 rows of a block.
#define PACK_ROWS 32
#define PACK_K 128

inline void pack_fma_rows(float acc[PACK_ROWS][16], int rb, __global const float* a0, __global const float* a1,
                          __global const float* a2, __global const float* a3, const int* at,
                          const float* packed, int kn) {
    float8 c00 = vload8(0, acc[rb]), c01 = vload8(1, acc[rb]);
    float8 c10 = vload8(0, acc[rb + 1]), c11 = vload8(1, acc[rb + 1]);
    float8 c20 = vload8(0, acc[rb + 2]), c21 = vload8(1, acc[rb + 2]);
    float8 c30 = vload8(0, acc[rb + 3]), c31 = vload8(1, acc[rb + 3]);
    for (int k = 0; k < kn; k++) {
        const float8 b0 = vload8(0, packed + k * 16), b1 = vload8(1, packed + k * 16);
        const int o = at[k];
        STRIP_FMA(a0[o], a1[o], a2[o], a3[o], b0, b1)
    }
    vstore8(c00, 0, acc[rb]); vstore8(c01, 1, acc[rb]);
    vstore8(c10, 0, acc[rb + 1]); vstore8(c11, 1, acc[rb + 1]);
    vstore8(c20, 0, acc[rb + 2]); vstore8(c21, 1, acc[rb + 2]);
    vstore8(c30, 0, acc[rb + 3]); vstore8(c31, 1, acc[rb + 3]);
}

inline void pack_zero(float acc[PACK_ROWS][16]) {
    for (int r = 0; r < PACK_ROWS; r++)
        for (int q = 0; q < 16; q++)
            acc[r][q] = 0.0f;
}

