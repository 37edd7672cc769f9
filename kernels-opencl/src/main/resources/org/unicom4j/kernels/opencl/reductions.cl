// Squared-L2 distance pieces and per-row top-k (one work-group of ROW_GROUP items per row; rows.cl comes first).

ROW_KERNEL void squared_norms(__global const float* x, const int xo, __global float* out, const int oo,
                              const int cols) {
    __local float s[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* xr = x + xo + r * cols;
    float acc = 0.0f;
    for (int c = t; c < cols; c += ROW_GROUP) acc += xr[c] * xr[c];
    acc = group_sum(acc, s);
    if (t == 0) out[oo + r] = acc;
}

// out[i, j] = max(0, out[i, j] + xn[i] + yn[j]), out holding -2 x.y from the GEMM before
__kernel void add_norms_clamp(__global float* out, const int oo, __global const float* xn, const int xno,
                              __global const float* yn, const int yno, const int n, const int m) {
    const int k = get_global_id(0);
    if (k >= n * m) return;
    const int i = k / m, j = k - i * m;
    out[oo + k] = fmax(0.0f, xn[xno + i] + yn[yno + j] + out[oo + k]);
}

// Top-k by insertion into the (sorted) output row: one work-item per row, for CPU devices. An element
// enters only if it ranks before the current k-th, so a typical row costs about one comparison per element.
ROW_KERNEL void topk_insert(__global const float* x, const int xo, const int cols, const int k, const int largest,
                            __global float* values, const int vo, __global int* indices, const int io) {
    const int r = get_group_id(0);
    if (get_local_id(0) != 0) return;
    __global const float* xr = x + xo + r * cols;
    __global float* vr = values + vo + r * k;
    __global int* ir = indices + io + r * k;
    int count = 0;
    for (int c = 0; c < cols; c++) {
        const float v = xr[c];
        if (count == k && !ranks_before(v, c, vr[k - 1], ir[k - 1], largest)) continue;
        int j = count < k ? count++ : k - 1;
        // later columns lose ties, so only strictly better values move ahead
        while (j > 0 && ranks_before(v, c, vr[j - 1], ir[j - 1], largest)) {
            vr[j] = vr[j - 1];
            ir[j] = ir[j - 1];
            j--;
        }
        vr[j] = v;
        ir[j] = c;
    }
}

// Top-k by k rounds of a work-group arg-best, each over the elements ranking after the previous pick: GPUs.
ROW_KERNEL void topk_select(__global const float* x, const int xo, const int cols, const int k, const int largest,
                            __global float* values, const int vo, __global int* indices, const int io) {
    __local float sv[ROW_GROUP];
    __local int si[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* xr = x + xo + r * cols;
    float lastV = 0.0f;
    int lastI = -1;
    for (int n = 0; n < k; n++) {
        float bestV = largest ? -INFINITY : INFINITY;
        int bestI = INT_MAX;
        for (int c = t; c < cols; c += ROW_GROUP) {
            const float v = xr[c];
            const bool after = lastI < 0 || ranks_before(lastV, lastI, v, c, largest);
            if (after && (bestI == INT_MAX || ranks_before(v, c, bestV, bestI, largest))) {
                bestV = v;
                bestI = c;
            }
        }
        group_best(&bestV, &bestI, largest, sv, si);
        if (t == 0) {
            values[vo + r * k + n] = bestV;
            indices[io + r * k + n] = bestI;
        }
        lastV = bestV;
        lastI = bestI;
    }
}
