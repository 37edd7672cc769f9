// Double accumulation where the device has it, and the scaled sum a loss is reduced with (the quantisation and
// contrastive families, the margin softmax). rows.cl comes first.

#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t;
#else
typedef float acc_t;
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

// out[0] = scale * sum of x[0..n) in order of the work-items' strides: one work-group
ROW_KERNEL void scaled_sum(__global const float* x, const int xo, const int n, const float scale,
                           __global float* out, const int oo) {
    __local acc_t sa[ROW_GROUP];
    const int t = get_local_id(0);
    acc_t acc = 0;
    for (int i = t; i < n; i += ROW_GROUP) acc += x[xo + i];
    acc = group_sum_acc(acc, sa);
    if (t == 0) out[oo] = (float) (acc * scale);
}
