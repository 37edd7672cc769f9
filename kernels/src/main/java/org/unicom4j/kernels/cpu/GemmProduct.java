package org.unicom4j.kernels.cpu;

/**
 * One row-major product C = alpha * op(A) op(B) + beta * C of a (strided) batch, as array indices: op(A) is
 * m x k, op(B) k x n, and {@code aBase}, {@code bBase}, {@code cBase} are the indices of element [0, 0] of the
 * stored A, B and C. op(A)[i, p] is a[aBase + i*lda + p], or a[aBase + p*lda + i] when {@code transA};
 * op(B)[p, j] is b[bBase + p*ldb + j], or b[bBase + j*ldb + p] when {@code transB}.
 */
record GemmProduct(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aBase, int lda,
                   float[] b, int bBase, int ldb, float beta, float[] c, int cBase, int ldc) {
}
