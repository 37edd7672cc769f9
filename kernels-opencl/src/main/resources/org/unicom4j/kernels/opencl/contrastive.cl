// Two-view contrastive losses over similarity matrices (Backend.contrastiveLosses(), spec sscq.md losses 1-3).
// rows.cl and sums.cl come first. One work-group of ROW_GROUP items per row (or per pair of rows); each writes
// its row's gradient and its loss into rowLoss, reduced afterwards by scaled_sum. The views of an image are rows
// 2i and 2i + 1.

// max of s[j] over the columns j other than a and b
inline float row_max(__global const float* s, const int cols, const int a, const int b, __local float* sm) {
    float best = -INFINITY;
    for (int j = get_local_id(0); j < cols; j += ROW_GROUP) {
        if (j != a && j != b) best = fmax(best, s[j]);
    }
    return group_max(best, sm);
}

// log sum_j exp(s[j] * invT) over the columns other than a and b, with max their largest s
inline acc_t row_log_sum_exp(__global const float* s, const int cols, const int a, const int b, const float max,
                             const float invT, __local acc_t* sa) {
    acc_t acc = 0;
    for (int j = get_local_id(0); j < cols; j += ROW_GROUP) {
        if (j != a && j != b) acc += exp((acc_t) (s[j] - max) * invT);
    }
    return (acc_t) max * invT + log(group_sum_acc(acc, sa));
}

ROW_KERNEL void nt_xent_rows(__global const float* s, const int so, const int rows, const float invT,
                             __global float* ds, const int dso, __global float* rowLoss, const int rlo) {
    __local float sm[ROW_GROUP];
    __local acc_t sa[ROW_GROUP];
    const int r = get_group_id(0), partner = r ^ 1;
    __global const float* sr = s + so + r * rows;
    __global float* dr = ds + dso + r * rows;
    const acc_t lse = row_log_sum_exp(sr, rows, r, r, row_max(sr, rows, r, r, sm), invT, sa);
    const acc_t scale = (acc_t) invT / rows;
    for (int j = get_local_id(0); j < rows; j += ROW_GROUP) {
        const acc_t p = j == r ? 0 : exp((acc_t) sr[j] * invT - lse);
        dr[j] = (float) ((p - (j == partner ? 1 : 0)) * scale);
    }
    if (get_local_id(0) == 0) rowLoss[rlo + r] = (float) (lse - (acc_t) sr[partner] * invT);
}

// One pair (a, b) = (2i, 2i + 1): see ReferenceContrastiveLosses for the gradient.
ROW_KERNEL void view_consistency_pairs(__global const float* s, const int so, const int rows, const float invT,
                                       __global float* ds, const int dso, __global float* pairLoss,
                                       const int plo) {
    __local float sm[ROW_GROUP];
    __local acc_t sa[ROW_GROUP];
    const int a = 2 * get_group_id(0), b = a + 1, pairs = rows / 2;
    __global const float* sA = s + so + a * rows;
    __global const float* sB = s + so + b * rows;
    const acc_t lseA = row_log_sum_exp(sA, rows, a, b, row_max(sA, rows, a, b, sm), invT, sa);
    const acc_t lseB = row_log_sum_exp(sB, rows, a, b, row_max(sB, rows, a, b, sm), invT, sa);
    acc_t pq = 0, qp = 0;
    for (int j = get_local_id(0); j < rows; j += ROW_GROUP) {
        if (j != a && j != b) {
            const acc_t logP = (acc_t) sA[j] * invT - lseA, logQ = (acc_t) sB[j] * invT - lseB;
            pq += exp(logP) * (logP - logQ);
            qp += exp(logQ) * (logQ - logP);
        }
    }
    const acc_t klPQ = group_sum_acc(pq, sa), klQP = group_sum_acc(qp, sa);
    const acc_t scale = (acc_t) invT / (2 * pairs);
    __global float* dA = ds + dso + a * rows;
    __global float* dB = ds + dso + b * rows;
    for (int j = get_local_id(0); j < rows; j += ROW_GROUP) {
        acc_t ga = 0, gb = 0;
        if (j != a && j != b) {
            const acc_t logP = (acc_t) sA[j] * invT - lseA, logQ = (acc_t) sB[j] * invT - lseB;
            const acc_t p = exp(logP), q = exp(logQ), d = logP - logQ;
            ga = p * (d - klPQ) + p - q;
            gb = q * (-d - klQP) + q - p;
        }
        dA[j] = (float) (ga * scale);
        dB[j] = (float) (gb * scale);
    }
    if (get_local_id(0) == 0) pairLoss[plo + get_group_id(0)] = (float) ((klPQ + klQP) / 2);
}

// Row r of matrix r / rows: its `neighbours` largest entries (j != self; the lower column first on ties) chosen
// one at a time, each the best that ranks after the one before; l = lse(all) - lse(neighbours).
ROW_KERNEL void neighbour_rows(__global const float* s, const int so, const int rows, const int matrices,
                               const int neighbours, const float invT, __global float* ds, const int dso,
                               __global float* rowLoss, const int rlo) {
    __local float sv[ROW_GROUP];
    __local int si[ROW_GROUP];
    __local acc_t sa[ROW_GROUP];
    const int r = get_group_id(0), self = r % rows;
    __global const float* sr = s + so + r * rows;
    __global float* dr = ds + dso + r * rows;
    float lastV = INFINITY, first = 0.0f;
    int lastI = -1;
    for (int n = 0; n < neighbours; n++) {
        float v = -INFINITY;
        int i = rows;
        for (int j = get_local_id(0); j < rows; j += ROW_GROUP) {
            const float x = sr[j];
            const bool after = x < lastV || (x == lastV && j > lastI);
            if (j != self && after && ranks_before(x, j, v, i, 1)) {
                v = x;
                i = j;
            }
        }
        group_best(&v, &i, 1, sv, si);
        if (n == 0) first = v;
        lastV = v;
        lastI = i;
    }
    const acc_t lseAll = row_log_sum_exp(sr, rows, self, self, first, invT, sa);
    acc_t top = 0;
    for (int j = get_local_id(0); j < rows; j += ROW_GROUP) {
        const float x = sr[j];
        if (j != self && (x > lastV || (x == lastV && j <= lastI))) top += exp((acc_t) (x - first) * invT);
    }
    const acc_t lseTop = (acc_t) first * invT + log(group_sum_acc(top, sa));
    const acc_t scale = (acc_t) invT / ((acc_t) rows * matrices);
    for (int j = get_local_id(0); j < rows; j += ROW_GROUP) {
        const float x = sr[j];
        acc_t g = 0;
        if (j != self) {
            const acc_t e = (acc_t) x * invT;
            const bool inTop = x > lastV || (x == lastV && j <= lastI);
            g = exp(e - lseAll) - (inTop ? exp(e - lseTop) : 0);
        }
        dr[j] = (float) (g * scale);
    }
    if (get_local_id(0) == 0) rowLoss[rlo + r] = (float) (lseAll - lseTop);
}
