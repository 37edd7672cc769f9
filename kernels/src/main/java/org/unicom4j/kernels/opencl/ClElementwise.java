package org.unicom4j.kernels.opencl;

/** Launches the element-wise kernels of elementwise.cl (bias, activations, vector ops, gathers, AdamW). */
final class ClElementwise extends ClKernels {

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

    void add(ClFloats a, ClFloats b, ClFloats out, int n) {
        if (n > 0) {
            launch("add").floats(a).floats(b).floats(out).i(n).run1d(n, group);
        }
    }

    void scale(ClFloats x, float alpha, int n) {
        if (n > 0) {
            launch("scale").floats(x).f(alpha).i(n).run1d(n, group);
        }
    }

    void axpy(float alpha, ClFloats x, ClFloats y, int n) {
        if (n > 0) {
            launch("axpy").f(alpha).floats(x).floats(y).i(n).run1d(n, group);
        }
    }

    void gatherRows(ClFloats src, int srcRows, ClInts idx, int n, ClFloats dst, int cols) {
        long total = (long) n * cols;
        if (total > 0) {
            launch("gather_rows").floats(src).i(srcRows).ints(idx).i(n).floats(dst).i(cols).run1d(total, group);
        }
    }

    void patchify(ClFloats images, ClFloats patches, int batch, int channels, int height, int width, int patch) {
        long total = (long) batch * channels * height * width;
        if (total > 0) {
            launch("patchify").floats(images).floats(patches).i(batch).i(channels).i(height).i(width).i(patch)
                    .run1d(total, group);
        }
    }

    void adamW(ClFloats param, ClFloats grad, ClFloats m, ClFloats v, int n, float lr, float beta1, float beta2,
               float eps, float weightDecay, int step) {
        if (n > 0) {
            // the bias corrections are per step, not per element: computed once here in double
            float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
            float sqrtCorrection2 = (float) Math.sqrt(1 - Math.pow(beta2, step));
            launch("adamw").floats(param).floats(grad).floats(m).floats(v).i(n).f(lr).f(beta1).f(beta2).f(eps)
                    .f(weightDecay).f(stepSize).f(sqrtCorrection2).run1d(n, group);
        }
    }
}
