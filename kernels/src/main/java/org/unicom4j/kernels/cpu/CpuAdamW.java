package org.unicom4j.kernels.cpu;

import static org.unicom4j.kernels.cpu.FloatLanes.LANES;
import static org.unicom4j.kernels.cpu.FloatLanes.SPECIES;
import static org.unicom4j.kernels.cpu.FloatLanes.loopBound;
import static org.unicom4j.kernels.cpu.CpuFloats.array;
import static org.unicom4j.kernels.cpu.CpuFloats.offset;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.spi.OptimiserKernels;

/**
 * One AdamW step in PyTorch's formulation (torch.optim.AdamW, single-tensor path): decoupled weight decay
 * p *= 1 - lr wd, then p -= (lr / bc1) m / (sqrt(v) / sqrt(bc2) + eps) with bc_i = 1 - beta_i^step.
 * The bias corrections are computed once in double; the per-element work is one fused pass.
 */
final class CpuAdamW implements OptimiserKernels {
    private final ParallelLoop loop;

    CpuAdamW(ParallelLoop loop) {
        this.loop = loop;
    }

    @Override
    public void adamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n, float lr,
                      float beta1, float beta2, float eps, float weightDecay, int step) {
        float[] pv = array(param), gv = array(grad), mv = array(m), vv = array(v);
        int po = offset(param), go = offset(grad), mo = offset(m), vo = offset(v);
        float decay = 1f - lr * weightDecay;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float oneMinusB1 = 1f - beta1, oneMinusB2 = 1f - beta2;
        loop.forRange(n, 12, (from, to) -> {
            int i = from;
            for (int bound = from + loopBound(to - from); i < bound; i += LANES) {
                FloatVector g = FloatVector.fromArray(SPECIES, gv, go + i);
                FloatVector mm = FloatVector.fromArray(SPECIES, mv, mo + i).mul(beta1).add(g.mul(oneMinusB1));
                FloatVector vvv = FloatVector.fromArray(SPECIES, vv, vo + i).mul(beta2).add(g.mul(g).mul(oneMinusB2));
                FloatVector denom = vvv.lanewise(VectorOperators.SQRT).div(bc2Sqrt).add(eps);
                FloatVector p = FloatVector.fromArray(SPECIES, pv, po + i).mul(decay);
                p.sub(mm.div(denom).mul(stepSize)).intoArray(pv, po + i);
                mm.intoArray(mv, mo + i);
                vvv.intoArray(vv, vo + i);
            }
            for (; i < to; i++) {
                float g = gv[go + i];
                float mm = mv[mo + i] * beta1 + g * oneMinusB1;
                float vvv = vv[vo + i] * beta2 + g * g * oneMinusB2;
                float denom = (float) Math.sqrt(vvv) / bc2Sqrt + eps;
                pv[po + i] = pv[po + i] * decay - mm / denom * stepSize;
                mv[mo + i] = mm;
                vv[vo + i] = vvv;
            }
        });
    }
}
