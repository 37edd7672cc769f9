package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.GemmKernels;

/**
 * Launches the GEMM kernels of gemm.cl: local-memory tiles on GPUs (transposes handled while loading
 * tiles), per-work-item packed blocks on CPU devices (a transposed operand is transposed into scratch first).
 */
final class ClGemm extends ClKernels implements GemmKernels {
    /** Outputs per work-group side of gemm_tiled (TM = TN in gemm.cl). */
    static final int TILE = 64;
    /** Columns and rows of C per work-item of the packed (CPU) kernels: 16 and PACK_ROWS in tiles.cl. */
    static final int PACK_COLS = 16;
    static final int PACK_ROWS = 32;

    private final ClBuffers memory;

    ClGemm(ClBuffers memory, ClQueue queue, OpenClTuning tuning, String options) {
        super(queue, tuning, options, "tiles.cl", "gemm.cl");
        this.memory = memory;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceFloats a, int lda,
                     long strideA, DeviceFloats b, int ldb, long strideB, float beta, DeviceFloats c, int ldc,
                     long strideC, int batch) {
        run(transA, transB, m, n, k, alpha, (ClFloats) a, lda, strideA, (ClFloats) b, ldb, strideB, beta, (ClFloats) c,
                ldc, strideC, batch);
    }

    void run(boolean transA, boolean transB, int m, int n, int k, float alpha, ClFloats a, int lda, long strideA,
             ClFloats b, int ldb, long strideB, float beta, ClFloats c, int ldc, long strideC, int batch) {
        if (tuning.localTiles()) {
            int ly = tuning.tileRows();
            launch("gemm_tiled").i(transA ? 1 : 0).i(transB ? 1 : 0).i(m).i(n).i(k)
                    .f(alpha).floats(a).i(lda).l(strideA).floats(b).i(ldb).l(strideB).f(beta).floats(c).i(ldc)
                    .l(strideC)
                    .run(new long[] {(long) tiles(n, TILE) * 16, (long) tiles(m, TILE) * ly, batch},
                            new long[] {16, ly, 1});
            return;
        }
        ClFloats packedA = transA && k > 0 ? transposed(a, k, m, lda, strideA, batch) : null;
        ClFloats packedB = transB && k > 0 ? transposed(b, n, k, ldb, strideB, batch) : null;
        try {
            ClFloats aa = packedA == null ? a : packedA, bb = packedB == null ? b : packedB;
            launch("gemm_packed").i(m).i(n).i(k).f(alpha)
                    .floats(aa).i(packedA == null ? lda : k).l(packedA == null ? strideA : (long) m * k)
                    .floats(bb).i(packedB == null ? ldb : n).l(packedB == null ? strideB : (long) k * n)
                    .f(beta).floats(c).i(ldc).l(strideC)
                    .run(packedGlobal(m, n, batch), PACK_GROUP);
        } finally {
            if (packedA != null) {
                packedA.close();
            }
            if (packedB != null) {
                packedB.close();
            }
        }
    }

    /** The batch of rows x cols matrices in {@code x} (leading dimension ld), transposed into packed scratch. */
    ClFloats transposed(ClFloats x, int rows, int cols, int ld, long stride, int batch) {
        ClFloats out = memory.scratch("gemm", Math.multiplyExact(Math.multiplyExact(rows, cols), batch), false);
        launch("transpose").floats(x).i(ld).l(stride).floats(out).i(rows).i(cols)
                .run(new long[] {ClLaunch.roundUp(tiles(cols, 16), PACK_GROUP[0]), tiles(rows, 16), batch}, PACK_GROUP);
        return out;
    }

    /**
     * Work-items per group of the packed kernels. Fixed, because PoCL compiles a kernel once per distinct
     * local size: letting the driver choose per launch would recompile for every new matrix shape.
     */
    static final long[] PACK_GROUP = {8, 1, 1};

    /** Global size of a packed kernel over an m x n output (rows vary fastest), rounded up to whole groups. */
    static long[] packedGlobal(int m, int n, int batch) {
        return new long[] {ClLaunch.roundUp(tiles(m, PACK_ROWS), PACK_GROUP[0]), tiles(n, PACK_COLS), batch};
    }

    static int tiles(int n, int tile) {
        return (n + tile - 1) / tile;
    }
}
