package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.ElementwiseKernels;

/**
 * Element-wise kernels: add, scale, axpy (the element-wise family), and the fill and copy of the buffer family and
 * the bias add and its gradient, ReLU6 and its backward of the layer family.
 * Flat kernels split [0, n) into contiguous chunks; these are memory-bound, so one pass and no temporaries.
 */
final class CpuElementwise implements ElementwiseKernels {
    /** Rough cost per element handed to {@link ParallelLoop}: enough that ~32k elements stay on one thread. */
    private static final int WORK_PER_ELEMENT = 1;
    private final ParallelLoop loop;

    CpuElementwise(ParallelLoop loop) {
        this.loop = loop;
    }

    void fill(CpuFloats x, float value, int n) {
        float[] xa = x.array();
        int xo = x.offset();
        loop.forRange(n, WORK_PER_ELEMENT, (from, to) -> java.util.Arrays.fill(xa, xo + from, xo + to, value));
    }

    void copy(CpuFloats src, CpuFloats dst, int n) {
        float[] s = src.array(), d = dst.array();
        int so = src.offset(), d0 = dst.offset();
        if (s == d && Math.abs(so - d0) < n) {
            // Overlapping views of one buffer: one System.arraycopy, which copies as if through a temporary;
            // parallel chunks could overwrite source elements another chunk has yet to read.
            System.arraycopy(s, so, d, d0, n);
            return;
        }
        loop.forRange(n, WORK_PER_ELEMENT, (from, to) -> System.arraycopy(s, so + from, d, d0 + from, to - from));
    }

    @Override
    public void add(DeviceFloats da, DeviceFloats db, DeviceFloats dOut, int n) {
        CpuFloats a = (CpuFloats) da, b = (CpuFloats) db, out = (CpuFloats) dOut;
        float[] av = a.array(), bv = b.array(), ov = out.array();
        int ao = a.offset(), bo = b.offset(), oo = out.offset();
        loop.forRange(n, WORK_PER_ELEMENT, (from, to) -> {
            int i = from;
            for (int bound = from + loopBound(to - from); i < bound; i += LANES) {
                FloatVector.fromArray(SPECIES, av, ao + i).add(FloatVector.fromArray(SPECIES, bv, bo + i))
                        .intoArray(ov, oo + i);
            }
            for (; i < to; i++) {
                ov[oo + i] = av[ao + i] + bv[bo + i];
            }
        });
    }

    @Override
    public void scale(DeviceFloats dx, float alpha, int n) {
        CpuFloats x = (CpuFloats) dx;
        float[] xv = x.array();
        int xo = x.offset();
        loop.forRange(n, WORK_PER_ELEMENT, (from, to) -> {
            int i = from;
            for (int bound = from + loopBound(to - from); i < bound; i += LANES) {
                FloatVector.fromArray(SPECIES, xv, xo + i).mul(alpha).intoArray(xv, xo + i);
            }
            for (; i < to; i++) {
                xv[xo + i] *= alpha;
            }
        });
    }

    @Override
    public void axpy(float alpha, DeviceFloats dx, DeviceFloats dy, int n) {
        CpuFloats x = (CpuFloats) dx, y = (CpuFloats) dy;
        float[] xv = x.array(), yv = y.array();
        int xo = x.offset(), yo = y.offset();
        loop.forRange(n, WORK_PER_ELEMENT, (from, to) -> axpy(alpha, xv, xo + from, yv, yo + from, to - from));
    }

    /** y[yo..yo+n) += alpha * x[xo..xo+n). */
    static void axpy(float alpha, float[] xv, int xo, float[] yv, int yo, int n) {
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        int i = 0;
        for (int bound = loopBound(n); i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, xv, xo + i).fma(a, FloatVector.fromArray(SPECIES, yv, yo + i))
                    .intoArray(yv, yo + i);
        }
        for (; i < n; i++) {
            yv[yo + i] = Math.fma(alpha, xv[xo + i], yv[yo + i]);
        }
    }

    void addBias(CpuFloats x, CpuFloats bias, int rows, int cols) {
        float[] xv = x.array(), bv = bias.array();
        int xo = x.offset(), bo = bias.offset();
        loop.forRange(rows, cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = xo + r * cols, i = 0;
                for (int bound = loopBound(cols); i < bound; i += LANES) {
                    FloatVector.fromArray(SPECIES, xv, row + i).add(FloatVector.fromArray(SPECIES, bv, bo + i))
                            .intoArray(xv, row + i);
                }
                for (; i < cols; i++) {
                    xv[row + i] += bv[bo + i];
                }
            }
        });
    }

    /**
     * dBias[c] += sum_r dy[r, c]. Threads own disjoint column blocks (no reduction across threads) and walk
     * the rows in order, summing each row's segment into a block-sized scratch row that stays in L1.
     */
    void biasGradient(CpuFloats dy, int rows, int cols, CpuFloats dBias) {
        float[] g = dy.array(), db = dBias.array();
        int go = dy.offset(), dbo = dBias.offset();
        ColumnBlocks.forColumns(loop, cols, rows, (c0, c1) -> {
            int width = c1 - c0;
            float[] sum = new float[width];
            for (int r = 0; r < rows; r++) {
                axpy(1f, g, go + r * cols + c0, sum, 0, width);
            }
            axpy(1f, sum, 0, db, dbo + c0, width);
        });
    }

    void relu6(CpuFloats x, CpuFloats y, int n) {
        clamp(x, y, n, 6f);
    }

    void relu6Backward(CpuFloats x, CpuFloats dy, CpuFloats dx, int n) {
        clampBackward(x, dy, dx, n, 6f);
    }

    /** y = min(max(x, 0), max): ReLU6 at 6, ReLU at infinity. */
    void clamp(CpuFloats x, CpuFloats y, int n, float max) {
        float[] xv = x.array(), yv = y.array();
        int xo = x.offset(), yo = y.offset();
        loop.forRange(n, WORK_PER_ELEMENT, (from, to) -> {
            int i = from;
            for (int bound = from + loopBound(to - from); i < bound; i += LANES) {
                FloatVector.fromArray(SPECIES, xv, xo + i).max(0f).min(max).intoArray(yv, yo + i);
            }
            for (; i < to; i++) {
                yv[yo + i] = Math.min(Math.max(xv[xo + i], 0f), max);
            }
        });
    }

    /** dx = dy where 0 < x < max, else 0. */
    void clampBackward(CpuFloats x, CpuFloats dy, CpuFloats dx, int n, float max) {
        float[] xv = x.array(), gv = dy.array(), dv = dx.array();
        int xo = x.offset(), go = dy.offset(), dO = dx.offset();
        loop.forRange(n, WORK_PER_ELEMENT, (from, to) -> {
            int i = from;
            for (int bound = from + loopBound(to - from); i < bound; i += LANES) {
                FloatVector xs = FloatVector.fromArray(SPECIES, xv, xo + i);
                VectorMask<Float> inside = xs.compare(VectorOperators.GT, 0f).and(xs.compare(VectorOperators.LT, max));
                FloatVector.fromArray(SPECIES, gv, go + i).blend(0f, inside.not()).intoArray(dv, dO + i);
            }
            for (; i < to; i++) {
                float xi = xv[xo + i];
                dv[dO + i] = xi > 0f && xi < max ? gv[go + i] : 0f;
            }
        });
    }
}
