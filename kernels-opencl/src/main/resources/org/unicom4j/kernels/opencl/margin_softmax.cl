// Margin softmax cross-entropy with its gradient for every Margin (PrototypeLosses.marginSoftmaxLoss, spec
// unicom.md section 3 steps 4-5, the margin-loss family of docs/TRAINING.md), the target statistics and sub-centre
// pooling. rows.cl and sums.cl come first. Logits are formed in float as the references do;
// exponentials, sums and the loss use double where the device has it, like the CPU reference.

// MAX_ROW_LOSS = -log(1e-30): the loss of a row whose target probability is below the spec's clamp. acc_t and
// group_sum_acc come from sums.cl.
#ifdef cl_khr_fp64
#define MAX_ROW_LOSS 69.07755278982137
#define PI_ACC M_PI
#define MIN_SINE 1e-6
#else
#define MAX_ROW_LOSS 69.07755278982137f
#define PI_ACC M_PI_F
#define MIN_SINE 1e-6f
#endif

// The margin maths (Margin.java): TARGET 0 fallback, 1 easy, 2 clipped; LOGITS 0 cosine, 1 linear angle,
// 2 curricular. Values and slopes are z / s and d(z / s) / d cos.
#define TARGET_EASY 1
#define TARGET_CLIPPED 2
#define LOGITS_COSINE 0
#define LOGITS_LINEAR_ANGLE 1
#define LOGITS_CURRICULAR 2

inline acc_t clamp_cos(acc_t c, float eps) {
    return eps > 0 ? fmin(fmax(c, (acc_t) -1 + eps), (acc_t) 1 - eps) : c;
}

inline acc_t safe_sine(acc_t theta) {
    return fmax(sin(theta), (acc_t) MIN_SINE);
}

inline acc_t target_value(acc_t c, acc_t m2, acc_t m3, int target, int logits, float eps) {
    const acc_t theta = acos(c);
    if (logits == LOGITS_LINEAR_ANGLE) return 1 - 2 * (theta + m2) / PI_ACC - m3;
    if (m2 == 0) return c - m3;
    const acc_t angle = theta + m2;
    acc_t phi;
    if (target == TARGET_CLIPPED) phi = cos(fmin(fmax(angle, (acc_t) eps), (acc_t) PI_ACC - eps));
    else if (target == TARGET_EASY) phi = c > 0 ? cos(angle) : c;
    else phi = angle < PI_ACC ? cos(angle) : c - m2 * sin(m2);
    return phi - m3;
}

inline acc_t target_slope(acc_t c, acc_t m2, int target, int logits, int exact, float eps) {
    if (!exact) return 1;
    const acc_t theta = acos(c);
    if (logits == LOGITS_LINEAR_ANGLE) return 2 / (PI_ACC * safe_sine(theta));
    if (m2 == 0) return 1;
    const acc_t angle = theta + m2;
    if (target == TARGET_CLIPPED) return angle >= eps && angle <= PI_ACC - eps ? sin(angle) / safe_sine(theta) : 0;
    const int arc = target == TARGET_EASY ? c > 0 : angle < PI_ACC;
    return arc ? sin(angle) / safe_sine(theta) : 1;
}

inline acc_t other_value(acc_t c, acc_t hard, int logits, float t) {
    if (logits == LOGITS_LINEAR_ANGLE) return 1 - 2 * acos(c) / PI_ACC;
    if (logits == LOGITS_CURRICULAR && c > hard) return c * (t + c);
    return c;
}

inline acc_t other_slope(acc_t c, acc_t hard, int logits, float t) {
    if (logits == LOGITS_LINEAR_ANGLE) return 2 / (PI_ACC * safe_sine(acos(c)));
    if (logits == LOGITS_CURRICULAR && c > hard) return t + 2 * c;
    return 1;
}

// z_c of a non-target column: s c without a clamp or a logit map (the common case), else through the maps
inline float other_logit(float c, float s, int plain, acc_t hard, int logits, float t, float eps) {
    return plain ? s * c : (float) (s * other_value(clamp_cos(c, eps), hard, logits, t));
}

// One row: dCos = dz/dcos (softmax(z) - onehot) / rows, and the row's loss -log(max(p_label, 1e-30)).
ROW_KERNEL void margin_softmax_rows(__global const float* cosv, const int co, __global const int* labels,
                                    const int lo, const int rows, const int cols, const float s,
                                    const float angular, const float additive, const int target, const int logits,
                                    const int exact, const float t, const float eps,
                                    __global const float* rowMargins, const int rmo, const int hasRowMargins,
                                    __global float* dCos, const int go, __global float* rowLoss, const int rlo) {
    __local float sm[ROW_GROUP];
    __local acc_t sa[ROW_GROUP];
    const int r = get_group_id(0), tid = get_local_id(0);
    __global const float* cr = cosv + co + r * cols;
    __global float* gr = dCos + go + r * cols;
    const int label = labels[lo + r];
    const acc_t m2 = hasRowMargins ? rowMargins[rmo + 2 * r] : angular;
    const acc_t m3 = hasRowMargins ? rowMargins[rmo + 2 * r + 1] : additive;
    const acc_t cy = clamp_cos(cr[label], eps);
    const float zLabel = (float) (s * target_value(cy, m2, m3, target, logits, eps));
    const acc_t hard = cos(acos(cy) + m2);
    const int plain = logits == LOGITS_COSINE && eps == 0;
    float best = -INFINITY;
    for (int c = tid; c < cols; c += ROW_GROUP) {
        best = fmax(best, c == label ? zLabel : other_logit(cr[c], s, plain, hard, logits, t, eps));
    }
    const acc_t zmax = group_max(best, sm);
    acc_t acc = 0;
    for (int c = tid; c < cols; c += ROW_GROUP) {
        acc += exp((c == label ? zLabel : other_logit(cr[c], s, plain, hard, logits, t, eps)) - zmax);
    }
    const acc_t sum = group_sum_acc(acc, sa);
    for (int c = tid; c < cols; c += ROW_GROUP) {
        const acc_t p = exp((c == label ? zLabel : other_logit(cr[c], s, plain, hard, logits, t, eps)) - zmax) / sum;
        const acc_t cc = clamp_cos(cr[c], eps);
        acc_t slope = cc != cr[c] ? 0 : c == label ? target_slope(cc, m2, target, logits, exact, eps)
                : plain ? 1 : other_slope(cc, hard, logits, t);
        gr[c] = (float) (s * slope * (p - (c == label ? 1 : 0)) / rows);
    }
    if (tid == 0) rowLoss[rlo + r] = (float) fmin(zmax + log(sum) - zLabel, (acc_t) MAX_ROW_LOSS);
}

// stats[2r] = cos[r, label], stats[2r + 1] = log sum_{c != label} exp(scale cos[r, c]) (-inf for one column)
ROW_KERNEL void target_statistics(__global const float* cosv, const int co, __global const int* labels,
                                  const int lo, const int cols, const float scale, __global float* stats,
                                  const int so) {
    __local float sm[ROW_GROUP];
    __local acc_t sa[ROW_GROUP];
    const int r = get_group_id(0), tid = get_local_id(0);
    __global const float* cr = cosv + co + r * cols;
    const int label = labels[lo + r];
    float best = -INFINITY;
    for (int c = tid; c < cols; c += ROW_GROUP) best = c == label ? best : fmax(best, scale * cr[c]);
    const acc_t zmax = group_max(best, sm);
    acc_t acc = 0;
    for (int c = tid; c < cols; c += ROW_GROUP) acc += c == label ? 0 : exp((acc_t) scale * cr[c] - zmax);
    const acc_t sum = group_sum_acc(acc, sa);
    if (tid == 0) {
        stats[so + 2 * r] = cr[label];
        stats[so + 2 * r + 1] = cols == 1 ? -INFINITY : (float) (zmax + log(sum));
    }
}

// One work-item per (row, class): the max over the class's k sub-centre cosines and its index (lowest on ties)
__kernel void sub_centre_max(__global const float* in, const int io, const int n, const int k,
                             __global float* out, const int oo, __global int* argmax, const int ao) {
    const int i = get_global_id(0);
    if (i >= n) return;
    __global const float* v = in + io + (long) i * k;
    int best = 0;
    for (int s = 1; s < k; s++) best = v[s] > v[best] ? s : best;
    out[oo + i] = v[best];
    argmax[ao + i] = best;
}

__kernel void sub_centre_max_backward(__global const float* g, const int go, __global const int* argmax,
                                      const int ao, const int n, const int k, __global float* out, const int oo) {
    const int i = get_global_id(0);
    if (i >= n) return;
    const int best = argmax[ao + i];
    for (int s = 0; s < k; s++) out[oo + (long) i * k + s] = s == best ? g[go + i] : 0.0f;
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
