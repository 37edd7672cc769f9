// Margin softmax cross-entropy with the straight-through gradient (Backend.marginSoftmaxLoss, spec
// unicom.md section 3 steps 4-5). rows.cl comes first. Logits are formed in float as the references do;
// exponentials, sums and the loss use double where the device has it, like the CPU reference.

// MAX_ROW_LOSS = -log(1e-30): the loss of a row whose target probability is below the spec's clamp
#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#define MAX_ROW_LOSS 69.07755278982137
#else
typedef float acc_t;
#define MAX_ROW_LOSS 69.07755278982137f
#endif

inline acc_t group_sum_acc(acc_t v, __local acc_t* s) {
#if ROW_GROUP == 1
    return v;
#else
    const int t = get_local_id(0);
    s[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = ROW_GROUP / 2; h > 0; h >>= 1) {
        if (t < h) s[t] += s[t + h];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const acc_t total = s[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
#endif
}

// z_label = s cos(acos(c) + m2) (ArcFace, no easy-margin correction) or s (c - m3) (CosFace)
inline float target_logit(float c, float s, float angular, float additive, int cosFace) {
    if (cosFace) return s * (c - additive);
    return (float) ((acc_t) s * cos(acos((acc_t) c) + (acc_t) angular));
}

// One row: dCos = s (softmax(z) - onehot) / rows, and the row's loss -log(max(p_label, 1e-30)).
ROW_KERNEL void margin_softmax_rows(__global const float* cosv, const int co, __global const int* labels,
                                    const int lo, const int rows, const int cols, const float s,
                                    const float angular, const float additive, const int cosFace,
                                    __global float* dCos, const int go, __global float* rowLoss, const int rlo) {
    __local float sm[ROW_GROUP];
    __local acc_t sa[ROW_GROUP];
    const int r = get_group_id(0), t = get_local_id(0);
    __global const float* cr = cosv + co + r * cols;
    __global float* gr = dCos + go + r * cols;
    const int label = labels[lo + r];
    const float zLabel = target_logit(cr[label], s, angular, additive, cosFace);
    float best = -INFINITY;
    for (int c = t; c < cols; c += ROW_GROUP) best = fmax(best, c == label ? zLabel : s * cr[c]);
    const acc_t zmax = group_max(best, sm);
    acc_t acc = 0;
    for (int c = t; c < cols; c += ROW_GROUP) acc += exp((c == label ? zLabel : s * cr[c]) - zmax);
    const acc_t sum = group_sum_acc(acc, sa);
    for (int c = t; c < cols; c += ROW_GROUP) {
        const acc_t p = exp((c == label ? zLabel : s * cr[c]) - zmax) / sum;
        gr[c] = (float) (s * (p - (c == label ? 1 : 0)) / rows);
    }
    if (t == 0) rowLoss[rlo + r] = (float) fmin(zmax + log(sum) - zLabel, (acc_t) MAX_ROW_LOSS);
}

// out[0] = mean of x[0..n): one work-group
ROW_KERNEL void mean_of(__global const float* x, const int xo, const int n, __global float* out, const int oo) {
    __local acc_t sa[ROW_GROUP];
    const int t = get_local_id(0);
    acc_t acc = 0;
    for (int i = t; i < n; i += ROW_GROUP) acc += x[xo + i];
    acc = group_sum_acc(acc, sa);
    if (t == 0) out[oo] = (float) (acc / n);
}
