package org.unicom4j.retrieval.index;

import java.util.Arrays;

/**
 * The posting lists of an inverted-file index: for each coarse cell, the ids of its vectors and their PQ codes
 * (M bytes each), in insertion order, in arrays that grow by doubling.
 */
final class InvertedLists {
    private final int codeSize;
    private final int[][] ids;
    private final byte[][] codes;
    private final int[] counts;

    InvertedLists(int lists, int codeSize) {
        this.codeSize = codeSize;
        this.ids = new int[lists][];
        this.codes = new byte[lists][];
        this.counts = new int[lists];
        Arrays.setAll(ids, l -> new int[0]);
        Arrays.setAll(codes, l -> new byte[0]);
    }

    /** Appends vector {@code id} with code {@code code[offset .. offset + codeSize)} to list l. */
    void add(int l, int id, byte[] code, int offset) {
        int n = counts[l];
        if (n == ids[l].length) {
            int grown = Math.max(8, Math.multiplyExact(n, 2));
            ids[l] = Arrays.copyOf(ids[l], grown);
            codes[l] = Arrays.copyOf(codes[l], Math.multiplyExact(grown, codeSize));
        }
        ids[l][n] = id;
        System.arraycopy(code, offset, codes[l], n * codeSize, codeSize);
        counts[l] = n + 1;
    }

    int lists() {
        return counts.length;
    }

    int count(int l) {
        return counts[l];
    }

    /** The id array of list l (valid up to {@link #count(int)}; not a copy). */
    int[] ids(int l) {
        return ids[l];
    }

    /** The code array of list l, [count x codeSize] (not a copy). */
    byte[] codes(int l) {
        return codes[l];
    }
}
