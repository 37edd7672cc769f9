package org.unicom4j.kernels;

import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.ReferenceCheck.download;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GELU (quick and tanh) against the reference backend at lengths around the vector width and the threading
 * threshold, in place and not, and (the reference too) against values printed by PyTorch 1.13.
 */
class GeluKernelsTest {
    private static final int[] LENGTHS = {1, 3, 8, 17, 129, 1000, 4099, 100_003};
    /** Two ulps of exp and a division: well under the 1e-5 the backbone fixtures need. */
    private static final double TOL = 1e-6;

    private static final float[] X = {-10f, -3f, -1.5f, -0.5f, -1e-3f, 0f, 2e-4f, 0.3f, 1f, 2.5f, 6f, 20f};
    /** torch.nn.functional.gelu(x.double(), approximate="tanh"). */
    private static final double[] TANH = {-0.0, -0.0036373920817729943, -0.10042842301976707, -0.15428599017485606,
        -0.000499601057786418, 0.0, 0.00010001595769110914, 0.18537092354275922, 0.8411919906082768,
        2.484915733910001, 5.9999999999156035, 20.0};
    /** x * torch.sigmoid(1.702 * x) in double (transformers' QuickGELUActivation). */
    private static final double[] QUICK = {-4.057961294855312e-07, -0.01807130970778597, -0.10833780155292341,
        -0.1496115633936199, -0.0004995745001027158, 0.0, 0.00010001701999983566, 0.1874841353815917,
        0.8457957659328212, 2.46501383495143, 5.999779646450213, 19.999999999999968};

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void matchesTheReference(String name) {
        Backend backend = TestBackends.get(name);
        for (int n : LENGTHS) {
            float[] x = TestData.gaussian(n * 13L, n, 4.0);
            for (Gelu kind : Gelu.values()) {
                ReferenceCheck.agrees(backend, TOL, "gelu " + kind + " n=" + n, be -> {
                    try (DeviceFloats dx = floats(be, x); DeviceFloats y = be.buffers().allocFloats(n)) {
                        be.layers().gelu(dx, y, n, kind);
                        be.layers().gelu(dx, dx, n, kind); // in place
                        return download(be, y, dx);
                    }
                });
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void matchesPyTorch(String name) {
        Backend backend = TestBackends.get(name);
        for (Gelu kind : Gelu.values()) {
            try (DeviceFloats x = floats(backend, X); DeviceFloats y = backend.buffers().allocFloats(X.length)) {
                backend.layers().gelu(x, y, X.length, kind);
                Tolerance.assertClose(kind == Gelu.TANH ? TANH : QUICK, backend.buffers().download(y), TOL,
                        "gelu " + kind + " vs PyTorch on " + name);
            }
        }
    }
}
