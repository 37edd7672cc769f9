package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.kernels.DeviceArrays.floats;
import static org.unicom4j.kernels.DeviceArrays.ints;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad calls fail before any kernel runs, with one message naming the kernel, the argument and the sizes. */
class ArgumentChecksTest {

    private static void fails(Class<? extends RuntimeException> type, Executable call, String... fragments) {
        RuntimeException e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void shapeMismatchNamesTheArgumentAndBothSizes(String name) {
        Backend backend = TestBackends.get(name);
        try (DeviceFloats a = backend.allocFloats(10); DeviceFloats b = backend.allocFloats(5);
             DeviceFloats one = backend.allocFloats(1)) {
            fails(IllegalArgumentException.class, () -> backend.add(a, b, a, 10), "add", "b", "5", "10");
            fails(IllegalArgumentException.class, () -> backend.layerNorm(a, b, b, a, one, b, 2, 5, 1e-5f),
                    "layerNorm", "mean", "has 1", "[2]");
            fails(IllegalArgumentException.class, () -> backend.softmaxRows(a, b, 2, 5, 1f), "softmaxRows", "y",
                    "5", "[2 x 5]");
            fails(IllegalArgumentException.class, () -> backend.gemm(false, false, 2, 5, 3, 1f, a, 2, b, 5, 0f, a, 5),
                    "gemm", "lda", "2", "3");
            fails(IllegalArgumentException.class, () -> backend.scale(a, 2f, -1), "scale", "length of x", "-1");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void sizeLimitsOfParticularKernels(String name) {
        Backend backend = TestBackends.get(name);
        try (DeviceFloats x = backend.allocFloats(64); DeviceInts idx = backend.allocInts(64)) {
            fails(IllegalArgumentException.class, () -> backend.topK(x, 4, 8, 9, true, x, idx), "topK", "k = 9", "8");
            fails(IllegalArgumentException.class, () -> backend.patchify(x, x, 1, 1, 8, 6, 4), "patchify", "8x6",
                    "4");
            fails(IllegalArgumentException.class, () -> backend.rowMax(x, x, 4, 0), "rowMax", "cols", "0");
            fails(IllegalArgumentException.class, () -> backend.adamW(x, x, x, x, 64, 1e-3f, 0.9f, 0.999f, 1e-8f,
                    0f, 0), "adamW", "step", "0");
            fails(IllegalArgumentException.class, () -> backend.allocFloats(1L << 31), "allocFloats", "2147483648");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void closedBuffersAndTheirSlicesAreRefused(String name) {
        Backend backend = TestBackends.get(name);
        DeviceFloats a = backend.allocFloats(8);
        DeviceFloats view = a.slice(2, 3);
        a.close();
        fails(IllegalStateException.class, () -> backend.scale(a, 2f, 8), "scale", "x", "closed");
        fails(IllegalStateException.class, () -> backend.fill(view, 1f), "fill", "x", "closed");
        fails(IllegalStateException.class, () -> backend.download(view), "download", "src", "closed");
        a.close(); // idempotent
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void buffersOfAnotherBackendInstanceAreRefused(String name) {
        Backend backend = TestBackends.get(name);
        try (Backend other = Backends.open(name); DeviceFloats mine = backend.allocFloats(4);
             DeviceFloats theirs = other.allocFloats(4)) {
            fails(IllegalArgumentException.class, () -> backend.copy(theirs, mine), "copy", "src",
                    "another backend instance");
            fails(IllegalArgumentException.class, () -> backend.axpy(1f, mine, theirs, 4), "axpy", "y",
                    "another backend instance");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void closingABackendClosesItsBuffers(String name) {
        TestBackends.get(name); // skips when the backend is unavailable
        Backend other = Backends.open(name);
        DeviceFloats buffer = other.allocFloats(4);
        DeviceFloats view = buffer.slice(1, 2);
        other.close();
        assertTrue(buffer.isClosed() && view.isClosed(), "buffers of a closed backend must report closed");
        fails(IllegalStateException.class, () -> other.fill(view, 1f), "fill", "x", "closed");
        other.close(); // idempotent
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void sampledIndicesMustBeInRangeAndIncreasing(String name) {
        Backend backend = TestBackends.get(name);
        int batch = 2, embDim = 6, classes = 5;
        try (DeviceFloats e = floats(backend, TestData.uniform(1, batch * embDim));
             DeviceFloats w = floats(backend, TestData.uniform(2, classes * embDim));
             DeviceFloats eNorms = backend.allocFloats(batch); DeviceFloats wNorms = backend.allocFloats(3);
             DeviceFloats cos = backend.allocFloats(batch * 3); DeviceInts goodDims = ints(backend, new int[] {0, 2, 5});
             DeviceInts goodClasses = ints(backend, new int[] {0, 1, 4})) {
            int[][] badClasses = {{0, 1, 5}, {-1, 1, 2}, {0, 3, 3}, {2, 1, 4}};
            String[] classMessages = {"classIdx[2] = 5 is outside [0, 5)", "classIdx[0] = -1 is outside [0, 5)",
                "classIdx[2] = 3 follows 3", "classIdx[1] = 1 follows 2"};
            for (int i = 0; i < badClasses.length; i++) {
                try (DeviceInts classIdx = ints(backend, badClasses[i])) {
                    fails(IllegalArgumentException.class, () -> backend.sampledCosineLogits(e, batch, embDim, w,
                            classes, classIdx, 3, goodDims, 3, eNorms, wNorms, cos), "sampledCosineLogits",
                            classMessages[i]);
                }
            }
            int[][] badDims = {{0, 2, 6}, {1, 1, 2}};
            String[] dimMessages = {"dimIdx[2] = 6 is outside [0, 6)", "dimIdx[1] = 1 follows 1"};
            for (int i = 0; i < badDims.length; i++) {
                try (DeviceInts dimIdx = ints(backend, badDims[i])) {
                    fails(IllegalArgumentException.class, () -> backend.sampledCosineLogits(e, batch, embDim, w,
                            classes, goodClasses, 3, dimIdx, 3, eNorms, wNorms, cos), "sampledCosineLogits",
                            dimMessages[i]);
                    try (DeviceFloats dE = backend.allocFloats(batch * embDim);
                         DeviceFloats dW = backend.allocFloats(classes * embDim)) {
                        fails(IllegalArgumentException.class, () -> backend.sampledCosineLogitsBackward(cos, cos, e,
                                batch, embDim, w, classes, goodClasses, 3, dimIdx, 3, eNorms, wNorms, dE, dW),
                                "sampledCosineLogitsBackward", dimMessages[i]);
                    }
                }
            }
            fails(IllegalArgumentException.class, () -> backend.sampledCosineLogits(e, batch, embDim, w, classes,
                    goodClasses, 6, goodDims, 3, eNorms, wNorms, cos), "sampledClasses = 6", "classes = 5");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void labelsAndGatherIndicesMustBeInRange(String name) {
        Backend backend = TestBackends.get(name);
        Margin margin = Margin.arcFace(64f, 0.3f);
        try (DeviceFloats cos = backend.allocFloats(2 * 3); DeviceFloats dCos = backend.allocFloats(2 * 3);
             DeviceInts labels = ints(backend, new int[] {0, 3}); DeviceInts negative = ints(backend, new int[] {-2, 0});
             DeviceInts idx = ints(backend, new int[] {1, 2})) {
            fails(IllegalArgumentException.class, () -> backend.marginSoftmaxLoss(cos, labels, 2, 3, margin, dCos),
                    "marginSoftmaxLoss", "labels[1] = 3 is outside [0, 3)");
            fails(IllegalArgumentException.class, () -> backend.marginSoftmaxLoss(cos, negative, 2, 3, margin, dCos),
                    "marginSoftmaxLoss", "labels[0] = -2 is outside [0, 3)");
            fails(IllegalArgumentException.class, () -> backend.gatherRows(cos, 2, idx, 2, dCos, 3), "gatherRows",
                    "idx[1] = 2 is outside [0, 2)");
        }
    }
}
