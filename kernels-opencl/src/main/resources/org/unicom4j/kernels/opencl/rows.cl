// Shared by the row-wise kernels: ROW_GROUP work-items cooperate on one row (one work-group per row).
// With ROW_GROUP == 1 (CPU devices) a work-item walks its row alone and the reductions vanish.

#ifndef ROW_GROUP
#define ROW_GROUP 1
#endif

#define ROW_KERNEL __kernel __attribute__((reqd_work_group_size(ROW_GROUP, 1, 1)))

// Sum of v over the row's work-items, returned to all of them. s holds ROW_GROUP floats of local memory.
inline float group_sum(float v, __local float* s) {
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
    const float total = s[0];
    barrier(CLK_LOCAL_MEM_FENCE); // s may be reused right away
    return total;
#endif
}

inline float group_max(float v, __local float* s) {
#if ROW_GROUP == 1
    return v;
#else
    const int t = get_local_id(0);
    s[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = ROW_GROUP / 2; h > 0; h >>= 1) {
        if (t < h) s[t] = fmax(s[t], s[t + h]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float best = s[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return best;
#endif
}

// True when (v, i) ranks before (bestV, bestI): a better value, or an equal value at a lower index.
// (NaNs compare false and so never rank before anything; rows of NaNs give an unspecified index.)
inline bool ranks_before(float v, int i, float bestV, int bestI, int largest) {
    return (largest ? v > bestV : v < bestV) || (v == bestV && i < bestI);
}

// The best (value, index) over the row's work-items, lowest index on ties; written to *v and *i of all.
inline void group_best(float* v, int* i, int largest, __local float* sv, __local int* si) {
#if ROW_GROUP > 1
    const int t = get_local_id(0);
    sv[t] = *v;
    si[t] = *i;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int h = ROW_GROUP / 2; h > 0; h >>= 1) {
        if (t < h && ranks_before(sv[t + h], si[t + h], sv[t], si[t], largest)) {
            sv[t] = sv[t + h];
            si[t] = si[t + h];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    *v = sv[0];
    *i = si[0];
    barrier(CLK_LOCAL_MEM_FENCE);
#endif
}
