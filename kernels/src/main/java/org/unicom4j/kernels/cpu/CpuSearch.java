package org.unicom4j.kernels.cpu;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.spi.SearchKernels;

/** The search family on the CPU: {@link CpuTopK} and {@link CpuDistances}. */
final class CpuSearch implements SearchKernels {
    private final CpuTopK topK;
    private final CpuDistances distances;

    CpuSearch(ParallelLoop loop, CpuGemm gemm) {
        this.topK = new CpuTopK(loop);
        this.distances = new CpuDistances(loop, gemm);
    }

    @Override
    public void topK(DeviceFloats x, int rows, int cols, int k, boolean largest, DeviceFloats values,
                     DeviceInts indices) {
        topK.topK((CpuFloats) x, rows, cols, k, largest, (CpuFloats) values, (CpuInts) indices);
    }

    @Override
    public void squaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d) {
        distances.squaredL2((CpuFloats) x, (CpuFloats) y, (CpuFloats) out, n, m, d);
    }
}
