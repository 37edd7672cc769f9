package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** Per-row sum, max and arg-max/arg-min, split over threads by rows. */
final class CpuReductions {
    private final ParallelLoop loop;

    CpuReductions(ParallelLoop loop) {
        this.loop = loop;
    }

    void rowSum(CpuFloats x, CpuFloats out, int rows, int cols) {
        float[] xv = x.array(), ov = out.array();
        int xo = x.offset(), oo = out.offset();
        loop.forRange(rows, cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                ov[oo + r] = FloatLanes.sum(xv, xo + r * cols, cols);
            }
        });
    }

    void rowMax(CpuFloats x, CpuFloats out, int rows, int cols) {
        float[] xv = x.array(), ov = out.array();
        int xo = x.offset(), oo = out.offset();
        loop.forRange(rows, cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                ov[oo + r] = FloatLanes.max(xv, xo + r * cols, cols);
            }
        });
    }

    /**
     * Index of the largest (or smallest) value per row, the lowest on ties. A NaN counts as the extreme
     * (PyTorch's argmax/argmin do the same), so the first NaN wins.
     */
    void rowArgExtreme(CpuFloats x, CpuInts out, int rows, int cols, boolean max) {
        float[] xv = x.array();
        int[] ov = out.array();
        int xo = x.offset(), oo = out.offset();
        loop.forRange(rows, 2L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                ov[oo + r] = argExtreme(xv, xo + r * cols, cols, max);
            }
        });
    }

    /** Two passes, both vectorised: the extreme value, then the first position holding it. */
    private static int argExtreme(float[] xv, int xr, int cols, boolean max) {
        float best = max ? FloatLanes.max(xv, xr, cols) : FloatLanes.min(xv, xr, cols);
        if (Float.isNaN(best)) {
            for (int j = 0; j < cols; j++) {
                if (Float.isNaN(xv[xr + j])) {
                    return j;
                }
            }
        }
        int i = 0;
        for (int bound = loopBound(cols); i < bound; i += LANES) {
            VectorMask<Float> hits = FloatVector.fromArray(SPECIES, xv, xr + i).compare(VectorOperators.EQ, best);
            if (hits.anyTrue()) {
                return i + hits.firstTrue();
            }
        }
        for (; i < cols; i++) {
            if (xv[xr + i] == best) {
                return i;
            }
        }
        throw new AssertionError("the extreme " + best + " is not in its row");
    }
}
