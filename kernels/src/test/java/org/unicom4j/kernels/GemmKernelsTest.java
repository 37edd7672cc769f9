package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.view;
import static org.unicom4j.kernels.Tolerance.assertClose;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GEMM and strided-batched GEMM against the reference backend and (the reference too) ND4J: every transpose pair, sizes
 * with tails in m, n and k independently (1, 3, 17, 129, 1000+, and past the CPU backend's cache blocks),
 * leading dimensions wider than the rows, operands that are slices at an offset, alpha/beta including beta = 0
 * over a C full of NaN, and batches with gaps between members. Padding in C (past n in a row, between batch
 * members, before the slice) must come back untouched.
 */
class GemmKernelsTest {
    /** m, n, k. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {3, 17, 129}, {17, 129, 3}, {129, 3, 17}, {1031, 3, 17}, {3, 1029, 17}, {17, 3, 1027},
        {1, 1037, 1}, {1039, 1, 1}, {1, 1, 1041}, {129, 1030, 17}, {1033, 129, 3}, {17, 129, 1028},
        // Past the blocking of the CPU kernel (several depth, row and column blocks; cpu/GemmBlockingTest probes
        // each edge), and products big enough to be split between threads by columns and by rows.
        {257, 300, 520}, {400, 20, 30}, {5, 3100, 7}, {200, 64, 2049}, {1000, 40, 300}, {2100, 5, 2049}};
    private static final float NAN = Float.NaN;

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void matchesTheReferenceForEveryTransposeAndTail(String name) {
        Backend backend = TestBackends.get(name);
        long seed = 1;
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                Problem p = new Problem(ta, tb, s[0], s[1], s[2], 1, seed++);
                p.check(backend, 1.25f, 0f);
                p.check(backend, -0.75f, 0.5f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void matchesNd4j(String name) {
        Backend backend = TestBackends.get(name);
        int[][] shapes = {{3, 17, 129}, {129, 1030, 17}, {257, 300, 520}, {1033, 129, 3}, {17, 129, 1028}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                float alpha = 0.5f, beta = -1.5f;
                float[] a = TestData.uniform(31L * t + m, m * k), b = TestData.uniform(37L * t + n, k * n);
                float[] c = TestData.uniform(41L * t + k, m * n);
                INDArray na = ta ? DeviceArrays.nd(a, k, m) : DeviceArrays.nd(a, m, k);
                INDArray nb = tb ? DeviceArrays.nd(b, n, k) : DeviceArrays.nd(b, k, n);
                INDArray nc = DeviceArrays.nd(c, m, n);
                float[] expected = DeviceArrays.host(Nd4j.gemm(na, nb, nc, ta, tb, alpha, beta));
                try (DeviceFloats da = floats(backend, a); DeviceFloats db = floats(backend, b);
                     DeviceFloats dc = floats(backend, c)) {
                    backend.gemm().multiply(alpha, view(da, ta, m, k, ta ? m : k), view(db, tb, k, n, tb ? k : n),
                            beta, Matrix.of(dc, m, n));
                    Tolerance.assertClose(expected, backend.buffers().download(dc), 2 * Tolerance.forReduction(k),
                            "gemm vs ND4J " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void stridedBatchesMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        // m, n, k, batch: attention-sized heads, a batch not divisible by two threads, members big enough to be
        // split between threads, a single member, and members each done in two row chunks on one thread.
        int[][] shapes = {{49, 49, 64, 12}, {49, 64, 49, 12}, {17, 33, 129, 5}, {130, 70, 300, 3}, {3, 1, 17, 7},
            {129, 17, 3, 1}, {2100, 3, 2049, 2}};
        long seed = 100;
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                Problem p = new Problem((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], s[3], seed++);
                p.check(backend, 1f, 0f);
                p.check(backend, 2f, -1f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void emptyProductsOnlyScaleC(String name) {
        Backend backend = TestBackends.get(name);
        int m = 5, n = 19;
        float[] c = TestData.uniform(7, m * n);
        float[] a = TestData.uniform(8, m * 3), b = TestData.uniform(9, 3 * n);
        try (DeviceFloats da = floats(backend, a); DeviceFloats db = floats(backend, b);
             DeviceFloats dc = floats(backend, c)) {
            // k = 0: C = beta * C
            backend.gemm().multiply(1f, Matrix.of(da, m, 0, 1), Matrix.of(db, 0, n), 2f, Matrix.of(dc, m, n));
            float[] twice = c.clone();
            for (int i = 0; i < twice.length; i++) {
                twice[i] *= 2f;
            }
            Tolerance.assertClose(twice, backend.buffers().download(dc), 1e-6, "gemm k=0 beta=2");
            // alpha = 0 with beta = 0 over NaN: zeros
            float[] nans = new float[m * n];
            Arrays.fill(nans, NAN);
            backend.buffers().upload(nans, dc);
            backend.gemm().multiply(0f, Matrix.of(da, m, 3), Matrix.of(db, 3, n), 0f, Matrix.of(dc, m, n));
            Tolerance.assertClose(new float[m * n], backend.buffers().download(dc), 0, "gemm alpha=0 beta=0");
            // k = 0, beta = 0 over NaN: zeros
            backend.buffers().upload(nans, dc);
            backend.gemm().multiply(1f, Matrix.of(da, 0, m).transpose(), Matrix.of(db, n, 0, 1).transpose(), 0f,
                    Matrix.of(dc, m, n));
            Tolerance.assertClose(new float[m * n], backend.buffers().download(dc), 0, "gemm k=0 beta=0");
        }
    }

    /** A strided batch is its members' products, each written in its place (ND4J checks the single product). */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void stridedBatchMembersAreSingleProducts(String name) {
        Backend backend = TestBackends.get(name);
        int m = 5, n = 7, k = 3, batch = 3;
        long strideA = m * k + 2, strideB = k * n + 1, strideC = m * n + 4;
        float[] a = TestData.uniform(1, (int) (batch * strideA)), b = TestData.uniform(2, (int) (batch * strideB));
        float[] c = TestData.uniform(3, (int) (batch * strideC));
        try (DeviceFloats da = floats(backend, a); DeviceFloats db = floats(backend, b);
             DeviceFloats batched = floats(backend, c); DeviceFloats single = floats(backend, c)) {
            backend.gemm().multiplyBatched(batch, 0.5f, Matrix.of(da, m, k), strideA, Matrix.of(db, n, k).transpose(),
                    strideB, 2f, Matrix.of(batched, m, n), strideC);
            for (int t = 0; t < batch; t++) {
                backend.gemm().multiply(0.5f, Matrix.of(da.slice(t * strideA), m, k),
                        Matrix.of(db.slice(t * strideB), n, k).transpose(), 2f, Matrix.of(single.slice(t * strideC), m, n));
            }
            assertClose(backend.buffers().download(single), backend.buffers().download(batched), 1e-6,
                    "batched vs one product per member");
        }
    }

    /**
     * One (batched) product laid out with padded leading dimensions, gaps between batch members, and every
     * operand a slice starting past the front of its buffer.
     */
    private static final class Problem {
        final boolean ta, tb;
        final int m, n, k, batch, lda, ldb, ldc, offA, offB, offC;
        final long strideA, strideB, strideC;
        final float[] a, b;
        final long seed;

        Problem(boolean ta, boolean tb, int m, int n, int k, int batch, long seed) {
            this.ta = ta;
            this.tb = tb;
            this.m = m;
            this.n = n;
            this.k = k;
            this.batch = batch;
            this.seed = seed;
            lda = (ta ? m : k) + 3;
            ldb = (tb ? k : n) + 5;
            ldc = n + 2;
            offA = 7;
            offB = 1;
            offC = 4;
            strideA = (long) (ta ? k : m) * lda + 11;
            strideB = (long) (tb ? n : k) * ldb + 2;
            strideC = (long) m * ldc + 9;
            a = TestData.uniform(seed * 3, (int) (offA + batch * strideA));
            b = TestData.uniform(seed * 3 + 1, (int) (offB + batch * strideB));
        }

        /** Runs C = alpha op(A) op(B) + beta C on the backend and on the reference, and compares all of C's buffer. */
        void check(Backend backend, float alpha, float beta) {
            float[] c = TestData.uniform(seed * 3 + 2, (int) (offC + batch * strideC));
            if (beta == 0f) {
                // beta = 0 must not read C: NaN where the product goes (the padding keeps its values, to be checked).
                for (int t = 0; t < batch; t++) {
                    for (int i = 0; i < m; i++) {
                        int row = (int) (offC + t * strideC) + i * ldc;
                        Arrays.fill(c, row, row + n, NAN);
                    }
                }
            }
            String what = "gemm " + m + "x" + n + "x" + k + " batch=" + batch + " ta=" + ta + " tb=" + tb + " alpha="
                    + alpha + " beta=" + beta;
            ReferenceCheck.agrees(backend, Tolerance.forReduction(k), what, be -> {
                try (DeviceFloats da = floats(be, a); DeviceFloats db = floats(be, b); DeviceFloats dc = floats(be, c)) {
                    be.gemm().multiplyBatched(batch, alpha, view(da.slice(offA), ta, m, k, lda), strideA,
                            view(db.slice(offB), tb, k, n, ldb), strideB, beta, Matrix.of(dc.slice(offC), m, n, ldc),
                            strideC);
                    return be.buffers().download(dc);
                }
            });
        }
    }
}
