// Element-wise kernels: one work-item per element (a guard covers the rounded-up tail). Views are a
// buffer plus an element offset.

__kernel void add_bias(__global float* x, const int xo, __global const float* bias, const int bo,
                       const int rows, const int cols) {
    const int i = get_global_id(0);
    if (i < rows * cols) x[xo + i] += bias[bo + i % cols];
}

// one work-item per column, summing down the rows in order (deterministic, no atomics)
__kernel void bias_gradient(__global const float* dy, const int dyo, const int rows, const int cols,
                            __global float* db, const int dbo) {
    const int c = get_global_id(0);
    if (c >= cols) return;
    float s = 0.0f;
    for (int r = 0; r < rows; r++) s += dy[dyo + r * cols + c];
    db[dbo + c] += s;
}

__kernel void relu6(__global const float* x, const int xo, __global float* y, const int yo, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[yo + i] = fmin(fmax(x[xo + i], 0.0f), 6.0f);
}

__kernel void relu6_backward(__global const float* x, const int xo, __global const float* dy, const int dyo,
                             __global float* dx, const int dxo, const int n) {
    const int i = get_global_id(0);
    if (i < n) {
        const float v = x[xo + i];
        dx[dxo + i] = (v > 0.0f && v < 6.0f) ? dy[dyo + i] : 0.0f;
    }
}

__kernel void relu(__global const float* x, const int xo, __global float* y, const int yo, const int n) {
    const int i = get_global_id(0);
    if (i < n) y[yo + i] = fmax(x[xo + i], 0.0f);
}

__kernel void relu_backward(__global const float* x, const int xo, __global const float* dy, const int dyo,
                            __global float* dx, const int dxo, const int n) {
    const int i = get_global_id(0);
    if (i < n) dx[dxo + i] = x[xo + i] > 0.0f ? dy[dyo + i] : 0.0f;
}

// GELU as x * sigmoid(k): k = 1.702 x (quick, CLIP) or 2 sqrt(2/pi) (x + 0.044715 x^3) (tanh, SigLIP);
// 0.5 (1 + tanh(u)) = sigmoid(2u) avoids the cancellation of 1 + tanh(u) for negative u
__kernel void gelu(__global const float* x, const int xo, __global float* y, const int yo, const int n,
                   const int quick) {
    const int i = get_global_id(0);
    if (i >= n) return;
    const float v = x[xo + i];
    const float k = quick ? 1.702f * v : fma(v * v, 0.0713548162726f, 1.5957691216057f) * v;
    y[yo + i] = v / (1.0f + exp(-k));
}

__kernel void add(__global const float* a, const int ao, __global const float* b, const int bo,
                  __global float* out, const int oo, const int n) {
    const int i = get_global_id(0);
    if (i < n) out[oo + i] = a[ao + i] + b[bo + i];
}

__kernel void scale(__global float* x, const int xo, const float alpha, const int n) {
    const int i = get_global_id(0);
    if (i < n) x[xo + i] *= alpha;
}

__kernel void axpy(const float alpha, __global const float* x, const int xo, __global float* y, const int yo,
                   const int n) {
    const int i = get_global_id(0);
    if (i < n) y[yo + i] = fma(alpha, x[xo + i], y[yo + i]);
}

// patches[b * g + gy * gw + gx][ch * p * p + ky * p + kx] = images[b][ch][gy * p + ky][gx * p + kx]
__kernel void patchify(__global const float* images, const int io, __global float* patches, const int po,
                       const int batch, const int channels, const int height, const int width, const int p) {
    const int i = get_global_id(0);
    const int gh = height / p, gw = width / p, rowLen = channels * p * p;
    if (i >= batch * gh * gw * rowLen) return;
    const int tile = i / rowLen, col = i - tile * rowLen;
    const int b = tile / (gh * gw), g = tile - b * gh * gw, gy = g / gw, gx = g - gy * gw;
    const int ch = col / (p * p), k = col - ch * p * p, ky = k / p, kx = k - ky * p;
    patches[po + i] = images[io + ((b * channels + ch) * height + gy * p + ky) * width + gx * p + kx];
}

// PyTorch's AdamW (torch.optim.AdamW, non-amsgrad): decoupled decay, then the bias-corrected Adam step
__kernel void adamw(__global float* param, const int po, __global const float* grad, const int go,
                    __global float* m, const int mo, __global float* v, const int vo, const int n,
                    const float lr, const float beta1, const float beta2, const float eps, const float weightDecay,
                    const float stepSize, const float sqrtCorrection2) {
    const int i = get_global_id(0);
    if (i >= n) return;
    const float g = grad[go + i];
    float p = param[po + i];
    p -= lr * weightDecay * p;
    const float mi = beta1 * m[mo + i] + (1.0f - beta1) * g;
    const float vi = beta2 * v[vo + i] + (1.0f - beta2) * g * g;
    m[mo + i] = mi;
    v[vo + i] = vi;
    param[po + i] = p - stepSize * mi / (sqrt(vi) / sqrtCorrection2 + eps);
}
