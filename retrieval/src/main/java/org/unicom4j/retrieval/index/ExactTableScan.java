package org.unicom4j.retrieval.index;

/**
 * The plain table scan over product-quantised codes: distance(i) = sum_m table[m * ksub + code(i, m)], summed in
 * float in m order. Every path of the index sums in this order, so an item's distance is the same float wherever
 * it is computed, and {@link QuantizedTableScan}'s re-ranking returns exactly this scan's top k.
 */
final class ExactTableScan {
    /** Items per chunk of distances computed before they are offered to a heap. */
    static final int CHUNK = 4096;

    private ExactTableScan() {
    }

    /** The distance of item i. */
    static float distance(PqCodes codes, int i, float[] table, int ksub) {
        float sum = 0;
        for (int m = 0, t = 0; m < codes.subspaces(); m++, t += ksub) {
            sum += table[t + codes.code(i, m)];
        }
        return sum;
    }

    /** The distances of items [from, to) into {@code out[0 .. to - from)}. */
    static void distances(PqCodes codes, int from, int to, float[] table, int ksub, float[] out) {
        if (codes.bits() == 8) {
            bytes(codes.array(), codes.subspaces(), table, ksub, from, to, out);
        } else {
            nibbles(codes.array(), codes.subspaces(), table, ksub, from, to, out);
        }
    }

    /** Offers every item to {@code best}; {@code scratch} holds at least {@link #CHUNK} floats. */
    static void scan(PqCodes codes, float[] table, int ksub, SmallestK best, float[] scratch) {
        int n = codes.size();
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            distances(codes, from, to, table, ksub, scratch);
            float bound = best.bound();
            for (int i = from; i < to; i++) {
                // most items lose against the k-th best: test them against a local copy of the bound first
                if (scratch[i - from] <= bound) {
                    best.offer(scratch[i - from], i);
                    bound = best.bound();
                }
            }
        }
    }

    /**
     * 8-bit codes. Four items go side by side: each sum is a chain of dependent adds, and four independent chains
     * keep the adder busy (one chain alone waits on the add latency at every step).
     */
    private static void bytes(byte[] c, int msub, float[] t, int ks, int from, int to, float[] out) {
        int i = from;
        for (; i + 4 <= to; i += 4) {
            int o = i * msub;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int m = 0, b = 0; m < msub; m++, b += ks) {
                s0 += t[b + (c[o + m] & 0xff)];
                s1 += t[b + (c[o + msub + m] & 0xff)];
                s2 += t[b + (c[o + 2 * msub + m] & 0xff)];
                s3 += t[b + (c[o + 3 * msub + m] & 0xff)];
            }
            out[i - from] = s0;
            out[i + 1 - from] = s1;
            out[i + 2 - from] = s2;
            out[i + 3 - from] = s3;
        }
        for (; i < to; i++) {
            float s = 0;
            for (int m = 0, b = 0; m < msub; m++, b += ks) {
                s += t[b + (c[i * msub + m] & 0xff)];
            }
            out[i - from] = s;
        }
    }

    /** 4-bit codes: byte j of an item holds subspace 2j (low nibble) and 2j + 1 (high nibble). */
    private static void nibbles(byte[] c, int msub, float[] t, int ks, int from, int to, float[] out) {
        int bytes = (msub + 1) / 2, pairs = msub / 2;
        for (int i = from; i < to; i++) {
            int o = i * bytes;
            float s = 0;
            for (int j = 0, b = 0; j < pairs; j++, b += 2 * ks) {
                int pair = c[o + j] & 0xff;
                s += t[b + (pair & 15)];
                s += t[b + ks + (pair >>> 4)];
            }
            if (bytes > pairs) {
                s += t[(msub - 1) * ks + (c[o + pairs] & 15)];
            }
            out[i - from] = s;
        }
    }
}
