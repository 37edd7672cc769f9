package org.unicom4j.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.SampledPrototypes;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.Tolerance;

/**
 * The fused cosine logits + margin softmax + backward against PyTorch autograd for fixed class and
 * dimension indices (fixture: tools/make_loss_fixture.py), ArcFace and CosFace, duplicate labels included.
 */
class MarginSoftmaxParityTest {

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void arcFaceMatchesPyTorch(String backendName) throws Exception {
        check(TestBackends.get(backendName), "arcface", Margin.arcFace(32f, 0.3f));
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void cosFaceMatchesPyTorch(String backendName) throws Exception {
        check(TestBackends.get(backendName), "cosface", Margin.cosFace(32f, 0.35f));
    }

    private void check(Backend backend, String name, Margin margin) throws Exception {
        NpyArray e = load("e"), w = load("w");
        int[] labels = load("labels").toInts(), classIdx = load("class_idx").toInts(), dimIdx = load("dim_idx").toInts();
        int batch = (int) e.shape()[0], embDim = (int) e.shape()[1], classes = (int) w.shape()[0];
        int cs = classIdx.length, ds = dimIdx.length;
        int[] remapped = new int[batch];
        for (int i = 0; i < batch; i++) {
            remapped[i] = java.util.Arrays.binarySearch(classIdx, labels[i]);
        }
        try (DeviceFloats de = upload(backend, e.toFloats()); DeviceFloats dw = upload(backend, w.toFloats());
             IndexList ci = backend.buffers().allocIndexList(cs); IndexList di = backend.buffers().allocIndexList(ds);
             IndexList y = backend.buffers().allocIndexList(batch);
             DeviceFloats en = backend.buffers().allocFloats(batch);
             DeviceFloats wn = backend.buffers().allocFloats(cs);
             DeviceFloats cos = backend.buffers().allocFloats((long) batch * cs);
             DeviceFloats dCos = backend.buffers().allocFloats((long) batch * cs);
             DeviceFloats gradE = backend.buffers().allocFloats((long) batch * embDim);
             DeviceFloats gradW = backend.buffers().allocFloats((long) classes * embDim)) {
            ci.write(classIdx, cs);
            di.write(dimIdx, ds);
            y.write(remapped, batch);
            SampledPrototypes sample = new SampledPrototypes(Matrix.of(dw, classes, embDim), ci, di, en, wn);
            backend.prototypeLosses().sampledCosineLogits(de, batch, sample, cos);
            float loss = backend.prototypeLosses().marginSoftmaxLoss(cos, batch, cs, y, margin, dCos);
            backend.prototypeLosses().sampledCosineLogitsBackward(dCos, cos, de, batch, sample, gradE, gradW);
            assertEquals(load(name + "_loss").toFloats()[0], loss, 1e-5, name + " loss");
            float[] expectedDe = load(name + "_de").toFloats(), expectedDw = load(name + "_dw").toFloats();
            Tolerance.assertClose(expectedDe, backend.buffers().download(gradE), 2e-4 * scaleOf(expectedDe),
                    name + " dE");
            Tolerance.assertClose(expectedDw, backend.buffers().download(gradW), 2e-4 * scaleOf(expectedDw),
                    name + " dW");
        }
    }

    /** Absolute tolerances relative to the largest gradient entry (the dW entries are ~100x the dE ones). */
    private static double scaleOf(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return Math.max(max, 1e-12);
    }

    private static DeviceFloats upload(Backend backend, float[] values) {
        DeviceFloats buffer = backend.buffers().allocFloats(values.length);
        backend.buffers().upload(values, buffer);
        return buffer;
    }

    private static NpyArray load(String name) throws IOException, URISyntaxException {
        return NpyArray.read(Path.of(MarginSoftmaxParityTest.class.getResource("/loss/" + name + ".npy").toURI()));
    }
}
