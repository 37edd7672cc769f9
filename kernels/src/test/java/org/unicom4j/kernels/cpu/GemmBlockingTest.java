package org.unicom4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.unicom4j.kernels.DeviceArrays.view;
import static org.unicom4j.kernels.cpu.BlockedGemm.KC;
import static org.unicom4j.kernels.cpu.BlockedGemm.MC;
import static org.unicom4j.kernels.cpu.BlockedGemm.NC;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.MR;
import static org.unicom4j.kernels.cpu.GemmMicroKernel.NR;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;
import org.unicom4j.kernels.Tolerance;

/**
 * The CPU SGEMM at the edges of its own blocking: depths one either side of a depth block (KC) and past two,
 * row counts around a row block (MC) and tile (MR), column counts around a tile (NR, and not a multiple of 24)
 * and past a B block (NC), for all four transpose layouts, against the reference backend, with alpha
 * and beta (beta = 0 over a C of NaN), padded leading dimensions and operands at an offset. One thread and two
 * must give bitwise the same C: splitting C into bands must not change any element's order of summation (most
 * shapes here are big enough to be split, {@code CpuGemm.MIN_SPLIT_WORK}).
 */
class GemmBlockingTest {
    private static Backend one;
    private static Backend two;

    @BeforeAll
    static void open() {
        one = new CpuBackend(1);
        two = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        one.close();
        two.close();
    }

    @Test
    void depthsAroundTheDepthBlock() {
        int[] depths = {KC - 1, KC, KC + 1, 2 * KC + 3};
        long seed = 1;
        for (int k : depths) {
            for (int layout = 0; layout < 4; layout++) {
                check(layout, 8 * MR + 1, 2 * NR + 3, k, seed++);
            }
        }
    }

    @Test
    void rowsAroundTheRowBlockAndTile() {
        int[] rows = {1, MR - 1, MR + 1, MC - 1, MC + 1, 2 * MC + MR + 1};
        long seed = 100;
        for (int m : rows) {
            for (int layout = 0; layout < 4; layout++) {
                check(layout, m, 3 * NR + 5, 101, seed++);
            }
        }
    }

    @Test
    void columnsAroundTheTileAndTheColumnBlock() {
        int[] cols = {1, NR - 1, NR + 1, 25, 47, 3 * NR + 7, NC - 1, NC + NR + 1};
        long seed = 200;
        for (int n : cols) {
            for (int layout = 0; layout < 4; layout++) {
                check(layout, 8 * MR + 3, n, 301, seed++);
            }
        }
    }

    @Test
    void aProductPastEveryBlockAtOnce() {
        long seed = 300;
        for (int layout = 0; layout < 4; layout++) {
            check(layout, MC + 2 * MR + 3, 3 * NR + 5, KC + 17, seed++);
        }
    }

    /** C = alpha op(A) op(B) + beta C on one and two threads, with (alpha, beta) = (1.5, 0) and (-0.5, 2). */
    private static void check(int layout, int m, int n, int k, long seed) {
        boolean ta = (layout & 1) != 0, tb = (layout & 2) != 0;
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 1, off = 5;
        float[] a = TestData.uniform(seed * 3, off + (ta ? k : m) * lda);
        float[] b = TestData.uniform(seed * 3 + 1, off + (tb ? n : k) * ldb);
        float[][] alphaBeta = {{1.5f, 0f}, {-0.5f, 2f}};
        for (float[] ab : alphaBeta) {
            float alpha = ab[0], beta = ab[1];
            float[] c = TestData.uniform(seed * 3 + 2, off + m * ldc);
            if (beta == 0f) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, off + i * ldc, off + i * ldc + n, Float.NaN);
                }
            }
            float[] expected = run(TestBackends.reference(), ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, off);
            String what = "gemm " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " alpha=" + alpha
                    + " beta=" + beta;
            float[] single = run(one, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, off);
            Tolerance.assertClose(expected, single, Tolerance.forReduction(k), what + " (1 thread)");
            float[] shared = run(two, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, off);
            assertArrayEquals(single, shared, what + ": 2 threads differ from 1");
        }
    }

    private static float[] run(Backend backend, boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a,
                               int lda, float[] b, int ldb, float beta, float[] c, int ldc, int off) {
        try (DeviceFloats da = upload(backend, a); DeviceFloats db = upload(backend, b);
             DeviceFloats dc = upload(backend, c)) {
            backend.gemm().multiply(alpha, view(da.slice(off), ta, m, k, lda), view(db.slice(off), tb, k, n, ldb),
                    beta, Matrix.of(dc.slice(off), m, n, ldc));
            return backend.buffers().download(dc);
        }
    }

    private static DeviceFloats upload(Backend backend, float[] host) {
        DeviceFloats buffer = backend.buffers().allocFloats(host.length);
        backend.buffers().upload(host, buffer);
        return buffer;
    }
}
