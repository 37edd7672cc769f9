package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
import org.unicom4j.kernels.spi.SearchKernels;

/** The search family on OpenCL: reductions.cl, and the distances' cross term on {@link ClGemm}. */
final class ClSearch implements SearchKernels {
    private final ClReductions reductions;
    private final ClGemm gemm;
    private final ClBuffers memory;

    ClSearch(ClReductions reductions, ClGemm gemm, ClBuffers memory) {
        this.reductions = reductions;
        this.gemm = gemm;
        this.memory = memory;
    }

    @Override
    public void topK(DeviceFloats x, int rows, int cols, int k, boolean largest, DeviceFloats values,
                     DeviceInts indices) {
        reductions.topK((ClFloats) x, rows, cols, k, largest, (ClFloats) values, (ClInts) indices);
    }

    @Override
    public void squaredL2Distances(DeviceFloats x, DeviceFloats y, DeviceFloats out, int n, int m, int d) {
        if (n == 0 || m == 0) {
            return;
        }
        // ||x||^2 + ||y||^2 - 2 x.y: the cross term is a GEMM, the norms a row kernel, the sum one pass
        try (ClFloats norms = memory.scratch("squaredL2Distances", n + m, false)) {
            reductions.squaredNorms((ClFloats) x, norms, n, d);
            ClFloats yNorms = (ClFloats) norms.slice(n, m);
            reductions.squaredNorms((ClFloats) y, yNorms, m, d);
            gemm.run(false, true, n, m, d, -2f, (ClFloats) x, d, 0, (ClFloats) y, d, 0, 0f, (ClFloats) out, m, 0, 1);
            reductions.addNormsClamp((ClFloats) out, norms, yNorms, n, m);
        }
    }
}
