package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.ReferenceCheck.download;
import static org.unicom4j.kernels.Tolerance.assertClose;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** AdamW against the reference backend and (the reference too) numbers from PyTorch itself. */
class AdamWKernelsTest {
    private static final int[] LENGTHS = {1, 3, 17, 129, 1000, 4099, 100_003};

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void fiveStepsMatchTheReference(String name) {
        Backend backend = TestBackends.get(name);
        float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, wd = 0.05f;
        for (int n : LENGTHS) {
            float[] p0 = TestData.uniform(n, n);
            ReferenceCheck.agrees(backend, 1e-5, "adamW n=" + n + " param, m, v after 5 steps", be -> {
                try (DeviceFloats dp = floats(be, p0); DeviceFloats dg = be.buffers().allocFloats(n);
                     DeviceFloats dm = be.buffers().allocFloats(n); DeviceFloats dv = be.buffers().allocFloats(n)) {
                    for (int step = 1; step <= 5; step++) {
                        be.buffers().upload(TestData.gaussian(step * 1000L + n, n, step == 3 ? 1e-4 : 1.0), dg);
                        be.optimisers().adamW(dp, dg, dm, dv, n, lr, beta1, beta2, eps, wd, step);
                    }
                    return download(be, dp, dm, dv);
                }
            });
        }
    }

    /**
     * Three steps of torch.optim.AdamW (PyTorch 1.13, /usr/bin/python3) with lr=0.1, betas=(0.9, 0.99), eps=1e-3,
     * weight_decay=0.2 on p = [0.5, -1.25, 2, 0, 3.5]; the printed parameters after each step are below.
     */
    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void matchesPyTorch(String name) {
        Backend backend = TestBackends.get(name);
        float[][] grads = {{0.3f, -0.7f, 0f, 1.5f, -2f}, {0.1f, 0.2f, -0.3f, 0.4f, -0.5f},
            {-1f, 0.05f, 0.6f, -0.2f, 0.9f}};
        float[][] torchParams = {
            {0.3903322219848633f, -1.1251426935195923f, 1.9600000381469727f, -0.09993338584899902f, 3.5299501419067383f},
            {0.2956503629684448f, -1.0586678981781006f, 1.9946985244750977f, -0.18194705247879028f, 3.54252028465271f},
            {0.33014893531799316f, -1.007912278175354f, 1.9235694408416748f, -0.23464633524417877f, 3.504992961883545f}};
        float[] torchM = {-0.06669999659061432f, -0.03370000049471855f, 0.033000003546476364f, 0.13750001788139343f,
            -0.11699999123811722f};
        float[] torchV = {0.010981090366840363f, 0.005223489832133055f, 0.004491000436246395f, 0.02403624914586544f,
            0.049779001623392105f};
        try (DeviceFloats p = floats(backend, new float[] {0.5f, -1.25f, 2f, 0f, 3.5f});
             DeviceFloats g = backend.buffers().allocFloats(5); DeviceFloats m = backend.buffers().allocFloats(5);
             DeviceFloats v = backend.buffers().allocFloats(5)) {
            for (int step = 1; step <= 3; step++) {
                backend.buffers().upload(grads[step - 1], g);
                backend.optimisers().adamW(p, g, m, v, 5, 0.1f, 0.9f, 0.99f, 1e-3f, 0.2f, step);
                assertClose(torchParams[step - 1], backend.buffers().download(p), 1e-6,
                        "adamW vs PyTorch step " + step);
            }
            assertClose(torchM, backend.buffers().download(m), 1e-6, "adamW exp_avg vs PyTorch");
            assertClose(torchV, backend.buffers().download(v), 1e-6, "adamW exp_avg_sq vs PyTorch");
        }
    }
}
