package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unicom4j.kernels.DeviceArrays.floats;

import org.junit.jupiter.api.Test;
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
        try (DeviceFloats a = backend.buffers().allocFloats(10); DeviceFloats b = backend.buffers().allocFloats(5);
             DeviceFloats one = backend.buffers().allocFloats(1)) {
            fails(IllegalArgumentException.class, () -> backend.elementwise().add(a, b, a, 10), "add", "b", "5", "10");
            fails(IllegalArgumentException.class, () -> backend.layers().layerNorm(a, b, b, a, one, b, 2, 5, 1e-5f),
                    "layerNorm", "mean", "has 1", "[2]");
            fails(IllegalArgumentException.class, () -> backend.layers().softmaxRows(a, b, 2, 5, 1f), "softmaxRows",
                    "y", "5", "[2 x 5]");
            fails(IllegalArgumentException.class, () -> backend.gemm().multiply(1f, Matrix.of(a, 2, 3),
                    Matrix.of(b, 3, 5), 0f, Matrix.of(a, 2, 5)), "gemm", "b", "5", "[3 x 5]");
            fails(IllegalArgumentException.class, () -> backend.gemm().multiply(1f, Matrix.of(a, 2, 3),
                    Matrix.of(b, 2, 2), 0f, Matrix.of(a, 2, 2)), "gemm", "do not chain", "a 2 x 3", "b 2 x 2");
            fails(IllegalArgumentException.class, () -> backend.gemm().multiply(1f, Matrix.of(a, 2, 2),
                    Matrix.of(a, 2, 2), 0f, Matrix.of(b, 2, 2).transpose()), "gemm", "c", "transposed");
            fails(IllegalArgumentException.class, () -> backend.elementwise().scale(a, 2f, -1), "scale",
                    "length of x", "-1");
        }
    }

    @Test
    void matrixViewsCheckTheirLeadingDimension() {
        fails(IllegalArgumentException.class, () -> Matrix.of(null, 2, 3, 2), "ld = 2", "row length 3");
        fails(IllegalArgumentException.class, () -> new Matrix(null, 3, 2, 2, true), "ld = 2", "row length 3");
        fails(IllegalArgumentException.class, () -> Matrix.of(null, -1, 2), "rows and cols", "-1");
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void sizeLimitsOfParticularKernels(String name) {
        Backend backend = TestBackends.get(name);
        try (DeviceFloats x = backend.buffers().allocFloats(64); DeviceInts idx = backend.buffers().allocInts(64)) {
            fails(IllegalArgumentException.class, () -> backend.search().topK(x, 4, 8, 9, true, x, idx), "topK",
                    "k = 9", "8");
            fails(IllegalArgumentException.class, () -> backend.layers().patchify(x, x, 1, 1, 8, 3, 4), "patchify",
                    "8x3", "smaller than the patch size 4");
            fails(IllegalArgumentException.class, () -> backend.optimisers().adamW(x, x, x, x, 64, 1e-3f, 0.9f,
                    0.999f, 1e-8f, 0f, 0), "adamW", "step", "0");
            fails(IllegalArgumentException.class, () -> backend.buffers().allocFloats(1L << 31), "allocFloats",
                    "2147483648");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void closedBuffersAndTheirSlicesAreRefused(String name) {
        Backend backend = TestBackends.get(name);
        DeviceFloats a = backend.buffers().allocFloats(8);
        DeviceFloats view = a.slice(2, 3);
        a.close();
        fails(IllegalStateException.class, () -> backend.elementwise().scale(a, 2f, 8), "scale", "x", "closed");
        fails(IllegalStateException.class, () -> backend.buffers().fill(view, 1f), "fill", "x", "closed");
        fails(IllegalStateException.class, () -> backend.buffers().download(view), "download", "src", "closed");
        a.close(); // idempotent
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void buffersOfAnotherBackendInstanceAreRefused(String name) {
        Backend backend = TestBackends.get(name);
        try (Backend other = Backends.open(name); DeviceFloats mine = backend.buffers().allocFloats(4);
             DeviceFloats theirs = other.buffers().allocFloats(4)) {
            fails(IllegalArgumentException.class, () -> backend.buffers().copy(theirs, mine), "copy", "src",
                    "another backend instance");
            fails(IllegalArgumentException.class, () -> backend.elementwise().axpy(1f, mine, theirs, 4), "axpy", "y",
                    "another backend instance");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void closingABackendClosesItsBuffers(String name) {
        TestBackends.get(name); // skips when the backend is unavailable
        Backend other = Backends.open(name);
        DeviceFloats buffer = other.buffers().allocFloats(4);
        DeviceFloats view = buffer.slice(1, 2);
        other.close();
        assertTrue(buffer.isClosed() && view.isClosed(), "buffers of a closed backend must report closed");
        fails(IllegalStateException.class, () -> other.buffers().fill(view, 1f), "fill", "x", "closed");
        other.close(); // idempotent
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void indexListsRefuseNegativeValuesWhenWritten(String name) {
        Backend backend = TestBackends.get(name);
        try (IndexList list = backend.buffers().allocIndexList(3)) {
            fails(IllegalArgumentException.class, () -> list.write(new int[] {0, -2, 1}, 3), "values[1] = -2",
                    "negative");
            fails(IllegalArgumentException.class, () -> list.write(new int[] {0, 1, 2, 3}, 4), "4", "list of 3");
            list.write(new int[] {4, 1, 7, 9}, 3);
            assertTrue(list.count() == 3 && list.max() == 7 && !list.strictlyIncreasing(), "count, max, order");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void sampledIndicesMustBeInRangeAndIncreasing(String name) {
        Backend backend = TestBackends.get(name);
        int batch = 2, embDim = 6, classes = 5;
        try (DeviceFloats e = floats(backend, TestData.uniform(1, batch * embDim));
             DeviceFloats w = floats(backend, TestData.uniform(2, classes * embDim));
             DeviceFloats eNorms = backend.buffers().allocFloats(batch);
             DeviceFloats wNorms = backend.buffers().allocFloats(3);
             DeviceFloats cos = backend.buffers().allocFloats(batch * 3);
             DeviceFloats dE = backend.buffers().allocFloats(batch * embDim);
             DeviceFloats dW = backend.buffers().allocFloats(classes * embDim);
             IndexList classIdx = backend.buffers().allocIndexList(3);
             IndexList dimIdx = backend.buffers().allocIndexList(3)) {
            SampledPrototypes sample = new SampledPrototypes(Matrix.of(w, classes, embDim), classIdx, dimIdx, eNorms,
                    wNorms);
            dimIdx.write(new int[] {0, 2, 5}, 3);
            int[][] badClasses = {{0, 1, 5}, {0, 3, 3}, {2, 1, 4}};
            String[] classMessages = {"classes holds index 5, outside [0, 5)", "classes must be strictly increasing",
                "classes must be strictly increasing"};
            for (int i = 0; i < badClasses.length; i++) {
                classIdx.write(badClasses[i], 3);
                fails(IllegalArgumentException.class, () -> backend.prototypeLosses().sampledCosineLogits(e, batch,
                        sample, cos), "sampledCosineLogits", classMessages[i]);
            }
            classIdx.write(new int[] {0, 1, 4}, 3);
            int[][] badDims = {{0, 2, 6}, {1, 1, 2}};
            String[] dimMessages = {"dims holds index 6, outside [0, 6)", "dims must be strictly increasing"};
            for (int i = 0; i < badDims.length; i++) {
                dimIdx.write(badDims[i], 3);
                fails(IllegalArgumentException.class, () -> backend.prototypeLosses().sampledCosineLogits(e, batch,
                        sample, cos), "sampledCosineLogits", dimMessages[i]);
                fails(IllegalArgumentException.class, () -> backend.prototypeLosses().sampledCosineLogitsBackward(cos,
                        cos, e, batch, sample, dE, dW), "sampledCosineLogitsBackward", dimMessages[i]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void labelsMustBeInRangeAndOnePerRow(String name) {
        Backend backend = TestBackends.get(name);
        Margin margin = Margin.arcFace(64f, 0.3f);
        try (DeviceFloats cos = backend.buffers().allocFloats(2 * 3);
             DeviceFloats dCos = backend.buffers().allocFloats(2 * 3);
             IndexList labels = backend.buffers().allocIndexList(2)) {
            labels.write(new int[] {0, 3}, 2);
            fails(IllegalArgumentException.class, () -> backend.prototypeLosses().marginSoftmaxLoss(cos, 2, 3, labels,
                    margin, dCos), "marginSoftmaxLoss", "labels holds index 3, outside [0, 3)");
            labels.write(new int[] {0}, 1);
            fails(IllegalArgumentException.class, () -> backend.prototypeLosses().marginSoftmaxLoss(cos, 2, 3, labels,
                    margin, dCos), "marginSoftmaxLoss", "labels holds 1 indices, expected 2");
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void marginFamilyKernelsCheckTheirShapes(String name) {
        Backend backend = TestBackends.get(name);
        Margin margin = Margin.arcFace(64f, 0.3f);
        try (DeviceFloats cos = backend.buffers().allocFloats(2 * 6);
             DeviceFloats small = backend.buffers().allocFloats(3);
             DeviceInts argmax = backend.buffers().allocInts(2 * 2);
             IndexList labels = backend.buffers().allocIndexList(2)) {
            labels.write(new int[] {0, 2}, 2);
            fails(IllegalArgumentException.class, () -> backend.prototypeLosses().marginSoftmaxLoss(cos, 2, 3, labels,
                    margin, small, cos), "marginSoftmaxLoss", "rowMargins", "3", "[2 x 2]");
            fails(IllegalArgumentException.class, () -> backend.prototypeLosses().targetStatistics(cos, 2, 3, labels,
                    1f, small), "targetStatistics", "stats", "[2 x 2]");
            fails(IllegalArgumentException.class, () -> backend.prototypeLosses().subCentreMax(cos, 2, 2, 4, cos,
                    argmax), "subCentreMax", "sub-centre cosines", "[2 x 8]");
            fails(IllegalArgumentException.class, () -> backend.prototypeLosses().subCentreMaxBackward(small, argmax,
                    2, 2, 3, cos), "subCentreMaxBackward", "dCos", "[2 x 2]");
            fails(IllegalArgumentException.class, () -> backend.prototypeLosses().subCentreMax(cos, 2, 2, 0, cos,
                    argmax), "subCentreMax", "k must be > 0");
        }
    }
}
