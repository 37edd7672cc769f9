// Row-wise normalisations and softmax (one work-group of ROW_GROUP items per row; rows.cl comes first),
// and the column-wise BatchNorm kernels (one work-item per column, walking the rows in order).

ROW_KERNEL void layer_norm(__global const float* x, const int xo, __global const float* gamma, const int go,
                           __global const float* beta, const int bo, __global float* y, const int yo,
                           __global float* mean, const int mo, __global float* rstd, const int ro,
                           const int cols, const float eps) {
    __local float s[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* xr = x + xo + r * cols;
    __global float* yr = y + yo + r * cols;
    float acc = 0.0f;
    for (int c = t; c < cols; c += ROW_GROUP) acc += xr[c];
    const float mu = group_sum(acc, s) / cols;
    acc = 0.0f;
    for (int c = t; c < cols; c += ROW_GROUP) {
        const float d = xr[c] - mu;
        acc += d * d;
    }
    // two passes (mean, then squared deviations): no cancellation for rows with a large mean
    const float rs = 1.0f / sqrt(group_sum(acc, s) / cols + eps);
    for (int c = t; c < cols; c += ROW_GROUP) yr[c] = (xr[c] - mu) * rs * gamma[go + c] + beta[bo + c];
    if (t == 0) {
        mean[mo + r] = mu;
        rstd[ro + r] = rs;
    }
}

// dx += rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * gamma, xhat = (x - mean) * rstd
ROW_KERNEL void layer_norm_backward(__global const float* dy, const int dyo, __global const float* x, const int xo,
                                    __global const float* gamma, const int go, __global const float* mean,
                                    const int mo, __global const float* rstd, const int ro, __global float* dx,
                                    const int dxo, const int cols) {
    __local float s[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* dyr = dy + dyo + r * cols;
    __global const float* xr = x + xo + r * cols;
    __global float* dxr = dx + dxo + r * cols;
    const float mu = mean[mo + r], rs = rstd[ro + r];
    float sumG = 0.0f, sumGX = 0.0f;
    for (int c = t; c < cols; c += ROW_GROUP) {
        const float g = dyr[c] * gamma[go + c];
        sumG += g;
        sumGX += g * (xr[c] - mu) * rs;
    }
    const float meanG = group_sum(sumG, s) / cols;
    const float meanGX = group_sum(sumGX, s) / cols;
    for (int c = t; c < cols; c += ROW_GROUP) {
        const float g = dyr[c] * gamma[go + c];
        dxr[c] += rs * (g - meanG - (xr[c] - mu) * rs * meanGX);
    }
}

// dGamma[c] += sum_r dy * xhat, dBeta[c] += sum_r dy: one work-item per column
__kernel void layer_norm_backward_params(__global const float* dy, const int dyo, __global const float* x,
                                         const int xo, __global const float* mean, const int mo,
                                         __global const float* rstd, const int ro, __global float* dGamma,
                                         const int dgo, __global float* dBeta, const int dbo, const int rows,
                                         const int cols) {
    const int c = get_global_id(0);
    if (c >= cols) return;
    float sg = 0.0f, sb = 0.0f;
    for (int r = 0; r < rows; r++) {
        const float d = dy[dyo + r * cols + c];
        sg += d * (x[xo + r * cols + c] - mean[mo + r]) * rstd[ro + r];
        sb += d;
    }
    dGamma[dgo + c] += sg;
    dBeta[dbo + c] += sb;
}

// Training-mode BatchNorm1d for one column: batch statistics, running-statistics update, normalisation.
__kernel void batch_norm_train(__global const float* x, const int xo, __global const float* gamma, const int go,
                               __global const float* beta, const int bo, __global float* y, const int yo,
                               __global float* mean, const int mo, __global float* rstd, const int ro,
                               __global float* runningMean, const int rmo, __global float* runningVar,
                               const int rvo, const int rows, const int cols, const float eps,
                               const float momentum) {
    const int c = get_global_id(0);
    if (c >= cols) return;
    float acc = 0.0f;
    for (int r = 0; r < rows; r++) acc += x[xo + r * cols + c];
    const float mu = acc / rows;
    acc = 0.0f;
    for (int r = 0; r < rows; r++) {
        const float d = x[xo + r * cols + c] - mu;
        acc += d * d;
    }
    const float rs = 1.0f / sqrt(acc / rows + eps);
    mean[mo + c] = mu;
    rstd[ro + c] = rs;
    // PyTorch updates the running variance with the unbiased estimate
    runningMean[rmo + c] = (1.0f - momentum) * runningMean[rmo + c] + momentum * mu;
    runningVar[rvo + c] = (1.0f - momentum) * runningVar[rvo + c] + momentum * (acc / (rows - 1));
    const float g = gamma[go + c], b = beta[bo + c];
    for (int r = 0; r < rows; r++) y[yo + r * cols + c] = (x[xo + r * cols + c] - mu) * rs * g + b;
}

__kernel void batch_norm_eval(__global const float* x, const int xo, __global const float* gamma, const int go,
                              __global const float* beta, const int bo, __global const float* runningMean,
                              const int rmo, __global const float* runningVar, const int rvo, __global float* y,
                              const int yo, const int rows, const int cols, const float eps) {
    const int i = get_global_id(0);
    if (i >= rows * cols) return;
    const int c = i % cols;
    y[yo + i] = (x[xo + i] - runningMean[rmo + c]) / sqrt(runningVar[rvo + c] + eps) * gamma[go + c] + beta[bo + c];
}

// dx = gamma * rstd / N * (N dy - sum dy - xhat sum(dy xhat)) (overwrites); dGamma, dBeta accumulate
__kernel void batch_norm_backward(__global const float* dy, const int dyo, __global const float* x, const int xo,
                                  __global const float* gamma, const int go, __global const float* mean,
                                  const int mo, __global const float* rstd, const int ro, __global float* dx,
                                  const int dxo, __global float* dGamma, const int dgo, __global float* dBeta,
                                  const int dbo, const int rows, const int cols) {
    const int c = get_global_id(0);
    if (c >= cols) return;
    const float mu = mean[mo + c], rs = rstd[ro + c];
    float sdy = 0.0f, sdyx = 0.0f;
    for (int r = 0; r < rows; r++) {
        const float d = dy[dyo + r * cols + c];
        sdy += d;
        sdyx += d * (x[xo + r * cols + c] - mu) * rs;
    }
    const float k = gamma[go + c] * rs / rows;
    for (int r = 0; r < rows; r++) {
        const float xhat = (x[xo + r * cols + c] - mu) * rs;
        dx[dxo + r * cols + c] = k * (rows * dy[dyo + r * cols + c] - sdy - xhat * sdyx);
    }
    dGamma[dgo + c] += sdyx;
    dBeta[dbo + c] += sdy;
}

ROW_KERNEL void l2_normalize_rows(__global const float* x, const int xo, __global float* y, const int yo,
                                  __global float* norms, const int no, const int cols, const float eps) {
    __local float s[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* xr = x + xo + r * cols;
    __global float* yr = y + yo + r * cols;
    float acc = 0.0f;
    for (int c = t; c < cols; c += ROW_GROUP) acc += xr[c] * xr[c];
    const float norm = fmax(sqrt(group_sum(acc, s)), eps);
    for (int c = t; c < cols; c += ROW_GROUP) yr[c] = xr[c] / norm;
    if (t == 0) norms[no + r] = norm;
}

ROW_KERNEL void l2_normalize_rows_backward(__global const float* y, const int yo, __global const float* norms,
                                           const int no, __global const float* dy, const int dyo,
                                           __global float* dx, const int dxo, const int cols) {
    __local float s[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* yr = y + yo + r * cols;
    __global const float* dyr = dy + dyo + r * cols;
    __global float* dxr = dx + dxo + r * cols;
    float acc = 0.0f;
    for (int c = t; c < cols; c += ROW_GROUP) acc += yr[c] * dyr[c];
    const float dot = group_sum(acc, s), norm = norms[no + r];
    for (int c = t; c < cols; c += ROW_GROUP) dxr[c] = (dyr[c] - yr[c] * dot) / norm;
}

ROW_KERNEL void softmax_rows(__global const float* x, const int xo, __global float* y, const int yo,
                             const int cols, const float scale) {
    __local float s[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* xr = x + xo + r * cols;
    __global float* yr = y + yo + r * cols;
    float best = -INFINITY;
    for (int c = t; c < cols; c += ROW_GROUP) best = fmax(best, scale * xr[c]);
    const float zmax = group_max(best, s);
    float acc = 0.0f;
    for (int c = t; c < cols; c += ROW_GROUP) acc += exp(scale * xr[c] - zmax);
    const float sum = group_sum(acc, s);
    for (int c = t; c < cols; c += ROW_GROUP) yr[c] = exp(scale * xr[c] - zmax) / sum;
}

ROW_KERNEL void softmax_rows_backward(__global const float* y, const int yo, __global const float* dy,
                                      const int dyo, __global float* dx, const int dxo, const int cols,
                                      const float scale) {
    __local float s[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* yr = y + yo + r * cols;
    __global const float* dyr = dy + dyo + r * cols;
    __global float* dxr = dx + dxo + r * cols;
    float acc = 0.0f;
    for (int c = t; c < cols; c += ROW_GROUP) acc += dyr[c] * yr[c];
    const float dot = group_sum(acc, s);
    for (int c = t; c < cols; c += ROW_GROUP) dxr[c] = scale * yr[c] * (dyr[c] - dot);
}
