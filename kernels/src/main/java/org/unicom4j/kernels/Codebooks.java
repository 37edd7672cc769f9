package org.unicom4j.kernels;

/**
 * Product-quantisation codebooks in a float buffer: {@code books} codebooks (one per sub-space) of {@code words}
 * codewords of {@code dim} floats each, stored [books, words, dim] row-major. A feature row of
 * {@code books * dim} floats is split into {@code books} consecutive sub-vectors, sub-vector m quantised by
 * codebook m. A view holds no memory; make it once and reuse it.
 *
 * @param data  the codewords, at least books * words * dim floats
 * @param books M, the number of sub-spaces
 * @param words K, codewords per codebook
 * @param dim   d, floats per sub-vector and codeword
 */
public record Codebooks(DeviceFloats data, int books, int words, int dim) {

    public Codebooks {
        if (books <= 0 || words <= 0 || dim <= 0) {
            throw new IllegalArgumentException("codebooks: books, words and dim must be > 0, got " + books + " x "
                    + words + " x " + dim);
        }
    }

    /** Floats of one feature row: books * dim. */
    public int featureDim() {
        return books * dim;
    }

    /** Floats of all codewords: books * words * dim. */
    public long size() {
        return (long) books * words * dim;
    }
}
