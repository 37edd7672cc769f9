package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Function;

/**
 * Runs one kernel call on a backend under test and on the reference backend ({@link TestBackends#reference()}),
 * with the same inputs, and compares what they return. The call uploads its inputs to the backend it is given,
 * runs the kernel(s) and returns the outputs read back ({@link #download}).
 */
public final class ReferenceCheck {
    private ReferenceCheck() {
    }

    /** |actual - expected| <= tol (1 + |expected|) element by element, expected from the reference backend. */
    public static void agrees(Backend backend, double tol, String what, Function<Backend, float[]> call) {
        float[] expected = call.apply(TestBackends.reference());
        float[] actual = call.apply(backend);
        assertEquals(expected.length, actual.length, what + ": output length");
        Tolerance.assertClose(expected, actual, tol, what + " (" + backend.name() + " vs reference)");
    }

    /** The outputs of {@code call} on the reference backend [0] and on {@code backend} [1], for custom comparisons. */
    public static float[][] outputs(Backend backend, Function<Backend, float[]> call) {
        return new float[][] {call.apply(TestBackends.reference()), call.apply(backend)};
    }

    /** The host copies of {@code outs}, one after the other. */
    public static float[] download(Backend backend, DeviceFloats... outs) {
        int n = 0;
        for (DeviceFloats o : outs) {
            n += (int) o.length();
        }
        float[] all = new float[n];
        int at = 0;
        for (DeviceFloats o : outs) {
            backend.buffers().download(o, all, at);
            at += (int) o.length();
        }
        return all;
    }
}
