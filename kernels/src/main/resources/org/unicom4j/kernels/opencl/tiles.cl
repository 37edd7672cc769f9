// Shared by the GEMM-like kernels (gemm.cl, sampled_cosine.cl), which come after this file.
//
// GPU shape ("tiled"): a TM x TN tile of the output per work-group of LX x LY work-items, each owning
// WM x WN outputs spread LX (LY) apart; TK-deep slices of both operands are staged in local memory,
// gathered or transposed on the way in, with one column of padding so column-wise stores do not all hit
// one bank.
// CPU shape ("strip"): no local memory and no barriers (PoCL keeps every value alive across a barrier
// in memory); each work-item owns 4 rows x 16 columns of the output in eight float8 registers, which with
// the two B vectors and a broadcast fit the 16 AVX2 registers.

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

// Rows ty + i * LY and columns tx + j * LX of the work-group's tile belong to this work-item.
#define TILE_ROW(i) (get_group_id(1) * TM + get_local_id(1) + (i) * LY)
#define TILE_COL(j) (get_group_id(0) * TN + get_local_id(0) + (j) * LX)

// The strip micro-kernel: c_r_h += a_r * b_h for rows r = 0..3 and halves h = 0, 1
#define STRIP_FMA(a0, a1, a2, a3, b0, b1)                                                               \
    c00 = fma((float8)(a0), b0, c00); c01 = fma((float8)(a0), b1, c01);                                  \
    c10 = fma((float8)(a1), b0, c10); c11 = fma((float8)(a1), b1, c11);                                  \
    c20 = fma((float8)(a2), b0, c20); c21 = fma((float8)(a2), b1, c21);                                  \
    c30 = fma((float8)(a3), b0, c30); c31 = fma((float8)(a3), b1, c31);

// 16 floats gathered from p[j[0..15]]
inline float8 gather8(__global const float* p, const int* j) {
    return (float8)(p[j[0]], p[j[1]], p[j[2]], p[j[3]], p[j[4]], p[j[5]], p[j[6]], p[j[7]]);
}
