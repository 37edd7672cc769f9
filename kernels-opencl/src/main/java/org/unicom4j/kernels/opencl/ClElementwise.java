package org.unicom4j.kernels.opencl;

import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Gelu;
import org.unicom4j.kernels.spi.ElementwiseKernels;
import org.unicom4j.kernels.spi.OptimiserKernels;

/**
 * Launches the kernels of elementwise.cl: the element-wise family (add, scale, axpy), the optimiser family
 * (AdamW), and bias, ReLU6, GELU and patchify for the layer family.
 */
final class ClElementwise extends ClKernels implements ElementwiseKernels, OptimiserKernels {

    ClElementwise(ClQueue queue, OpenClTuning tuning, String options) {
        super(queue, tuning, options, "elementwise.cl");
    }

    void addBias(ClFloats x, ClFloats bias, int rows, int cols) {
        long n = (long) rows * cols;
        if (n > 0) {
            launch("add_bias").floats(x).floats(bias).i(rows).i(cols).run1d(n, group);
        }
    }

    void biasGradient(ClFloats dy, int rows, int cols, ClFloats dBias) {
        if (cols > 0) {
            launch("bias_gradient").floats(dy).i(rows).i(cols).floats(dBias).run1d(cols, group);
        }
    }

    void relu6(ClFloats x, ClFloats y, int n) {
        if (n > 0) {
            launch("relu6").floats(x).floats(y).i(n).run1d(n, group);
        }
    }

    void relu6Backward(ClFloats x, ClFloats dy, ClFloats dx, int n) {
        if (n > 0) {
            launch("relu6_backward").floats(x).floats(dy).floats(dx).i(n).run1d(n, group);
        }
    }

    void relu(ClFloats x, ClFloats y, int n) {
        if (n > 0) {
            launch("relu").floats(x).floats(y).i(n).run1d(n, group);
        }
    }

    void reluBackward(ClFloats x, ClFloats dy, ClFloats dx, int n) {
        if (n > 0) {
            launch("relu_backward").floats(x).floats(dy).floats(dx).i(n).run1d(n, group);
        }
    }

    void gelu(ClFloats x, ClFloats y, int n, Gelu kind) {
        if (n > 0) {
            launch("gelu").floats(x).floats(y).i(n).i(kind == Gelu.QUICK ? 1 : 0).run1d(n, group);
        }
    }

    @Override
    public void add(DeviceFloats a, DeviceFloats b, DeviceFloats out, int n) {
        if (n > 0) {
            launch("add").floats((ClFloats) a).floats((ClFloats) b).floats((ClFloats) out).i(n).run1d(n, group);
        }
    }

    @Override
    public void scale(DeviceFloats x, float alpha, int n) {
        if (n > 0) {
            launch("scale").floats((ClFloats) x).f(alpha).i(n).run1d(n, group);
        }
    }

    @Override
    public void axpy(float alpha, DeviceFloats x, DeviceFloats y, int n) {
        if (n > 0) {
            launch("axpy").f(alpha).floats((ClFloats) x).floats((ClFloats) y).i(n).run1d(n, group);
        }
    }

    void patchify(ClFloats images, ClFloats patches, int batch, int channels, int height, int width, int patch) {
        long total = (long) batch * channels * height * width;
        if (total > 0) {
            launch("patchify").floats(images).floats(patches).i(batch).i(channels).i(height).i(width).i(patch)
                    .run1d(total, group);
        }
    }

    @Override
    public void adamW(DeviceFloats param, DeviceFloats grad, DeviceFloats m, DeviceFloats v, int n, float lr,
                      float beta1, float beta2, float eps, float weightDecay, int step) {
        if (n > 0) {
            // the bias corrections are per step, not per element: computed once here in double
            float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
            float sqrtCorrection2 = (float) Math.sqrt(1 - Math.pow(beta2, step));
            launch("adamw").floats((ClFloats) param).floats((ClFloats) grad).floats((ClFloats) m).floats((ClFloats) v)
                    .i(n).f(lr).f(beta1).f(beta2).f(eps).f(weightDecay).f(stepSize).f(sqrtCorrection2).run1d(n, group);
        }
    }
}
