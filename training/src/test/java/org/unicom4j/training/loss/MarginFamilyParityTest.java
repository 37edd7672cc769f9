package org.unicom4j.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.Margin.Gradient;
import org.unicom4j.kernels.Margin.Logits;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.Tolerance;

/**
 * Every loss of the margin-loss family, one step of {@link SampledMarginSoftmax} over fixed class and dimension
 * draws (the sampled path: gathered, normalised, pooled over sub-centres, margin, softmax, backward), against PyTorch
 * autograd on each paper's official code (fixture: tools/make_loss_fixture.py): the loss, dE, dW, and the running
 * statistics after the step, on every backend. Duplicate labels in the batch on purpose.
 */
class MarginFamilyParityTest {

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void arcFaceAndCosFaceAsTheUnicomReference(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        check(backend, "arcface", new FixedMargin(Margin.arcFace(32f, 0.3f)), 1, Draws.SAMPLED);
        check(backend, "cosface", new FixedMargin(Margin.cosFace(32f, 0.35f)), 1, Draws.SAMPLED);
        check(backend, "arcface_exact", new FixedMargin(Margin.arcFace(30f, 0.5f).withGradient(Gradient.EXACT)), 1,
                Draws.SAMPLED);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void subCentreDynamicAndLiArcFace(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        Margin exact = Margin.arcFace(30f, 0.5f).withGradient(Gradient.EXACT);
        check(backend, "subcenter", new FixedMargin(exact), 3, Draws.SAMPLED);
        long[] counts = Arrays.stream(load("counts").toInts()).asLongStream().toArray();
        check(backend, "dynamic", new ClassMargins(exact.withTarget(Margin.Target.FALLBACK), counts, 0.2, 0.5), 1,
                Draws.SAMPLED);
        check(backend, "li_arcface", new FixedMargin(Margin.arcFace(64f, 0.45f).withLogits(Logits.LINEAR_ANGLE)
                .withGradient(Gradient.EXACT)), 1, Draws.SAMPLED);
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void adaptiveMarginsAndTheirRunningStatistics(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        float[] t0 = load("curricular_state0").toFloats();
        CurricularStatistic curricular = new CurricularStatistic(Margin.arcFace(64f, 0.5f)
                .withLogits(Logits.CURRICULAR).withGradient(Gradient.EXACT));
        curricular.restoreState(state("curricularT", t0[0]));
        check(backend, "curricular", curricular, 1, Draws.SAMPLED);
        assertEquals(load("curricular_state").toFloats()[0], curricular.t(), 1e-6, "t after the step");

        AdaCosScale adaCos = new AdaCosScale(Margin.arcFace(1f, 0f), 40);
        assertEquals(load("adacos_state0").toFloats()[0], adaCos.scale(), 1e-6, "the first scale, sqrt(2) log 39");
        check(backend, "adacos", adaCos, 1, Draws.ALL_CLASSES);
        assertEquals(load("adacos_state").toFloats()[0], adaCos.scale(), 1e-5, "the scale of the step");

        float[] norms0 = load("adaface_state0").toFloats();
        AdaFaceNorms adaFace = new AdaFaceNorms(64f, 0.4, 0.333, 0.3, norms0[0], norms0[1]);
        check(backend, "adaface", adaFace, 1, Draws.ALL_DIMS);
        float[] after = load("adaface_state").toFloats();
        assertEquals(after[0], adaFace.mean(), 1e-5, "running mean of the norms");
        assertEquals(after[1], adaFace.std(), 1e-5, "running std of the norms");
    }

    /** Which classes and dims the step uses: the fixture's samples, or all of one of them. */
    private enum Draws { SAMPLED, ALL_CLASSES, ALL_DIMS }

    private static void check(Backend backend, String name, MarginPolicy policy, int k, Draws draws)
            throws Exception {
        NpyArray e = load("e"), w = load(k == 1 ? "w" : "w3");
        int[] labels = load("labels").toInts();
        int batch = (int) e.shape()[0], embDim = (int) e.shape()[1], classes = (int) w.shape()[0] / k;
        int[] classIdx = draws == Draws.ALL_CLASSES ? range(classes) : load("class_idx").toInts();
        int[] dimIdx = draws == Draws.ALL_DIMS ? range(embDim) : load("dim_idx").toInts();
        int[] remapped = new int[batch];
        for (int i = 0; i < batch; i++) {
            remapped[i] = Arrays.binarySearch(classIdx, labels[i]);
        }
        double rate = draws == Draws.ALL_CLASSES ? 1 : 0.5;
        try (SampledMarginSoftmax loss = new SampledMarginSoftmax(backend, classes, k, embDim, dimIdx.length, rate,
                policy, batch);
             DeviceFloats embeddings = backend.buffers().allocFloats((long) batch * embDim);
             DeviceFloats dE = backend.buffers().allocFloats((long) batch * embDim)) {
            backend.buffers().upload(e.toFloats(), embeddings);
            backend.buffers().upload(w.toFloats(), loss.prototypes());
            float value = loss.forwardBackward(embeddings, labels, batch, dE, classIdx, classIdx.length, remapped,
                    dimIdx, dimIdx.length);
            assertEquals(load(name + "_loss").toFloats()[0], value, 2e-5 * (1 + Math.abs(value)), name + " loss");
            float[] expectedDe = load(name + "_de").toFloats(), expectedDw = load(name + "_dw").toFloats();
            Tolerance.assertClose(expectedDe, backend.buffers().download(dE), 2e-4 * scaleOf(expectedDe),
                    name + " dE");
            Tolerance.assertClose(expectedDw, backend.buffers().download(loss.prototypeGradient()),
                    2e-4 * scaleOf(expectedDw), name + " dW");
        }
    }

    private static ObjectNode state(String key, float value) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put(key, (double) value);
        return node;
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }

    /** Absolute tolerances relative to the largest gradient entry (the dW entries are ~100x the dE ones). */
    private static double scaleOf(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return Math.max(max, 1e-12);
    }

    private static NpyArray load(String name) throws IOException, URISyntaxException {
        return NpyArray.read(Path.of(MarginFamilyParityTest.class.getResource("/loss/" + name + ".npy").toURI()));
    }
}
