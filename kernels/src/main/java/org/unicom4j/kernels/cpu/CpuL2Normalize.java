package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;

/** Row L2 normalisation y = x / max(||x||, eps) and its backward, split over threads by rows. */
final class CpuL2Normalize {
    private final ParallelLoop loop;

    CpuL2Normalize(ParallelLoop loop) {
        this.loop = loop;
    }

    void forward(CpuFloats x, CpuFloats y, CpuFloats norms, int rows, int cols, float eps) {
        float[] xv = x.array(), yv = y.array(), nv = norms.array();
        int xo = x.offset(), yo = y.offset(), no = norms.offset();
        loop.forRange(rows, 3L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                int xr = xo + r * cols, yr = yo + r * cols;
                float norm = Math.max((float) Math.sqrt(FloatLanes.sumOfSquares(xv, xr, cols)), eps);
                nv[no + r] = norm;
                float inv = 1f / norm;
                int i = 0;
                for (int bound = loopBound(cols); i < bound; i += LANES) {
                    FloatVector.fromArray(SPECIES, xv, xr + i).mul(inv).intoArray(yv, yr + i);
                }
                for (; i < cols; i++) {
                    yv[yr + i] = xv[xr + i] * inv;
                }
            }
        });
    }

    /** dx = (dy - y (y . dy)) / norm per row (overwrites dx, which may be dy). */
    void backward(CpuFloats y, CpuFloats norms, CpuFloats dy, CpuFloats dx, int rows, int cols) {
        float[] yv = y.array(), nv = norms.array(), gv = dy.array(), dv = dx.array();
        int yo = y.offset(), no = norms.offset(), go = dy.offset(), dO = dx.offset();
        loop.forRange(rows, 4L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                int yr = yo + r * cols, gr = go + r * cols, dr = dO + r * cols;
                float proj = FloatLanes.dot(yv, yr, gv, gr, cols);
                float inv = 1f / nv[no + r];
                int i = 0;
                for (int bound = loopBound(cols); i < bound; i += LANES) {
                    FloatVector yy = FloatVector.fromArray(SPECIES, yv, yr + i);
                    FloatVector.fromArray(SPECIES, gv, gr + i).sub(yy.mul(proj)).mul(inv).intoArray(dv, dr + i);
                }
                for (; i < cols; i++) {
                    dv[dr + i] = (gv[gr + i] - yv[yr + i] * proj) * inv;
                }
            }
        });
    }
}
