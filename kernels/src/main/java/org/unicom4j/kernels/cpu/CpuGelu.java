package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;

import jdk.incubator.vector.FloatVector;
import org.unicom4j.kernels.Gelu;

/**
 * GELU as x * sigmoid(k(x)) (see {@link Gelu}): k = 1.702 x (quick) or 2 sqrt(2/pi) (x + 0.044715 x^3) (tanh),
 * sigmoid(k) = 1 / (1 + exp(-k)) with {@link VectorExp}, whose lanes and scalar tail round alike, so a value does
 * not depend on where it falls in a row or on whether the loop has been compiled yet.
 */
final class CpuGelu {
    /** exp and a handful of FMAs per element. */
    private static final int WORK_PER_ELEMENT = 8;
    private static final float QUICK = (float) Gelu.QUICK_SLOPE;
    private static final float TANH_LINEAR = (float) (2 * Gelu.TANH_BETA);
    private static final float TANH_CUBIC = (float) (2 * Gelu.TANH_BETA * Gelu.TANH_KAPPA);

    private final ParallelLoop loop;

    CpuGelu(ParallelLoop loop) {
        this.loop = loop;
    }

    void forward(CpuFloats x, CpuFloats y, int n, Gelu kind) {
        float[] xv = x.array(), yv = y.array();
        int xo = x.offset(), yo = y.offset();
        boolean quick = kind == Gelu.QUICK;
        loop.forRange(n, WORK_PER_ELEMENT, (from, to) -> {
            int i = from;
            for (int bound = from + loopBound(to - from); i < bound; i += LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, xv, xo + i);
                FloatVector k = quick ? v.mul(QUICK) : v.mul(v).fma(TANH_CUBIC, TANH_LINEAR).mul(v);
                v.div(VectorExp.exp(k.neg()).add(1f)).intoArray(yv, yo + i);
            }
            for (; i < to; i++) {
                float v = xv[xo + i];
                float k = quick ? v * QUICK : Math.fma(v * v, TANH_CUBIC, TANH_LINEAR) * v;
                yv[yo + i] = v / (VectorExp.exp(-k) + 1f);
            }
        });
    }
}
