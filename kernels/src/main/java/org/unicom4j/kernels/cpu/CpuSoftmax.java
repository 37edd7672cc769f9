package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;

/** Row softmax of scale * x (max-subtracted) and its backward, split over threads by rows. */
final class CpuSoftmax {
    private final ParallelLoop loop;

    CpuSoftmax(ParallelLoop loop) {
        this.loop = loop;
    }

    void forward(CpuFloats x, CpuFloats y, int rows, int cols, float scale) {
        if (cols == 0) {
            return;
        }
        float[] xv = x.array(), yv = y.array();
        int xo = x.offset(), yo = y.offset();
        loop.forRange(rows, 12L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                softmaxRow(xv, xo + r * cols, yv, yo + r * cols, cols, scale);
            }
        });
    }

    /** y[yr..yr+cols) = softmax(scale * x[xr..xr+cols)); y may be x. */
    static void softmaxRow(float[] xv, int xr, float[] yv, int yr, int cols, float scale) {
        // max(scale * x) is scale * max(x) for scale >= 0 and scale * min(x) otherwise.
        float shift = scale >= 0 ? scale * FloatLanes.max(xv, xr, cols) : scale * FloatLanes.min(xv, xr, cols);
        if (shift == Float.NEGATIVE_INFINITY || Float.isNaN(shift)) {
            shift = 0f; // an all -inf row becomes NaN below, as in PyTorch; avoid inf - inf on finite rows
        }
        FloatVector s = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = loopBound(cols); i < bound; i += LANES) {
            // Our own exp, not the Vector API's EXP: that one's last bits differ between the interpreter and
            // C2 (SVML), so results would depend on when the JIT compiled this loop.
            FloatVector e = VectorExp.expOrZero(FloatVector.fromArray(SPECIES, xv, xr + i).mul(scale).sub(shift));
            e.intoArray(yv, yr + i);
            s = s.add(e);
        }
        float sum = FloatLanes.sumLanes(s);
        for (; i < cols; i++) {
            float e = VectorExp.expOrZero(xv[xr + i] * scale - shift);
            yv[yr + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        i = 0;
        for (int bound = loopBound(cols); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, yv, yr + i).mul(inv).intoArray(yv, yr + i);
        }
        for (; i < cols; i++) {
            yv[yr + i] *= inv;
        }
    }

    /** dx = scale * y * (dy - sum(dy * y)) per row; dx may be dy (the dot is taken before any write). */
    void backward(CpuFloats y, CpuFloats dy, CpuFloats dx, int rows, int cols, float scale) {
        float[] yv = y.array(), gv = dy.array(), dv = dx.array();
        int yo = y.offset(), go = dy.offset(), dO = dx.offset();
        loop.forRange(rows, 4L * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                backwardRow(yv, yo + r * cols, gv, go + r * cols, dv, dO + r * cols, cols, scale);
            }
        });
    }

    /** One row of {@link #backward}. */
    static void backwardRow(float[] yv, int yr, float[] gv, int gr, float[] dv, int dr, int cols, float scale) {
        float dot = FloatLanes.dot(gv, gr, yv, yr, cols);
        int i = 0;
        for (int bound = loopBound(cols); i < bound; i += LANES) {
            FloatVector yy = FloatVector.fromArray(SPECIES, yv, yr + i);
            FloatVector.fromArray(SPECIES, gv, gr + i).sub(dot).mul(yy).mul(scale).intoArray(dv, dr + i);
        }
        for (; i < cols; i++) {
            dv[dr + i] = scale * yv[yr + i] * (gv[gr + i] - dot);
        }
    }
}
