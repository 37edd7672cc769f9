package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;

/**
 * Pairwise squared Euclidean distances by the norms trick ||x||^2 + ||y||^2 - 2 x.y, so that the O(n m d)
 * part is one GEMM; rounding can push the difference of large terms below zero, hence the clamp at 0.
 */
final class CpuDistances {
    private final ParallelLoop loop;
    private final CpuGemm gemm;

    CpuDistances(ParallelLoop loop, CpuGemm gemm) {
        this.loop = loop;
        this.gemm = gemm;
    }

    void squaredL2(CpuFloats x, CpuFloats y, CpuFloats out, int n, int m, int d) {
        if (n == 0 || m == 0) {
            return;
        }
        float[] xNorms = rowSquaredNorms(x, n, d), yNorms = rowSquaredNorms(y, m, d);
        gemm.gemm(false, true, n, m, d, -2f, x, d, 0, y, d, 0, 0f, out, m, 0, 1);
        float[] ov = out.array();
        int oo = out.offset();
        loop.forRange(n, 2L * m, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = oo + i * m, j = 0;
                float xn = xNorms[i];
                for (int bound = loopBound(m); j < bound; j += LANES) {
                    FloatVector.fromArray(SPECIES, ov, row + j).add(FloatVector.fromArray(SPECIES, yNorms, j)).add(xn)
                            .max(0f).intoArray(ov, row + j);
                }
                for (; j < m; j++) {
                    ov[row + j] = Math.max(0f, ov[row + j] + yNorms[j] + xn);
                }
            }
        });
    }

    private float[] rowSquaredNorms(CpuFloats a, int rows, int cols) {
        float[] av = a.array(), norms = new float[rows];
        int ao = a.offset();
        loop.forRange(rows, cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                norms[r] = FloatLanes.sumOfSquares(av, ao + r * cols, cols);
            }
        });
        return norms;
    }
}
