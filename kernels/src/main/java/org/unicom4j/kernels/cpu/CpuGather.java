package org.unicom4j.kernels.cpu;

/**
 * Row gather dst[i] = src[idx[i]], one array copy per row, split over threads by output rows. The indices were
 * range-checked by {@link org.unicom4j.kernels.Backend#gatherRows}.
 */
final class CpuGather {
    private final ParallelLoop loop;

    CpuGather(ParallelLoop loop) {
        this.loop = loop;
    }

    void rows(CpuFloats src, CpuInts idx, int n, CpuFloats dst, int cols) {
        float[] sv = src.array(), dv = dst.array();
        int[] iv = idx.array();
        int so = src.offset(), io = idx.offset(), dO = dst.offset();
        loop.forRange(n, cols, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = iv[io + i];
                System.arraycopy(sv, so + row * cols, dv, dO + i * cols, cols);
            }
        });
    }
}
