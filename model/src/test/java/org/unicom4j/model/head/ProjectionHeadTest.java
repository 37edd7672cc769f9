package org.unicom4j.model.head;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.Tolerance;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictMismatchException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The head against PyTorch's nn.Linear + nn.BatchNorm1d (fixture: tools/make_head_fixture.py): training output with
 * batch statistics, parameter gradients of sum(out * r), running statistics after the step, evaluation output; and the
 * head without BatchNorm.
 */
class ProjectionHeadTest {
    private static final double TOL = 2e-5;

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void linearAndBatchNormMatchPyTorch(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        NpyArray x = load("x");
        int batch = (int) x.shape()[0], in = (int) x.shape()[1], out = (int) load("bias").shape()[0];
        try (ProjectionHead head = new ProjectionHead(backend, new HeadConfig(in, out, 0.2f, true), batch);
             DeviceFloats dx = upload(backend, x.toFloats()); DeviceFloats r = upload(backend, load("r").toFloats())) {
            head.load(fixtureDict(true), "");
            DeviceFloats y = head.forwardTrain(dx, batch);
            close(load("train_out").toFloats(), backend.buffers().download(y), "train output");
            head.backward(r, dx, batch);
            float[] g = backend.buffers().download(head.gradients());
            close(load("d_weight").toFloats(), slice(g, 0, out * in), "dWeight");
            close(load("d_bias").toFloats(), slice(g, out * in, out), "dBias");
            close(load("d_bn_weight").toFloats(), slice(g, out * in + out, out), "dGamma");
            close(load("d_bn_bias").toFloats(), slice(g, out * in + 2 * out, out), "dBeta");
            float[] s = backend.buffers().download(head.statistics());
            close(load("running_mean_after").toFloats(), slice(s, 0, out), "running mean");
            close(load("running_var_after").toFloats(), slice(s, out, out), "running var");
            assertEquals(1, head.batchesTracked());
            try (DeviceFloats e = backend.buffers().allocFloats((long) batch * out)) {
                head.forwardEval(dx, batch, e);
                close(load("eval_out").toFloats(), backend.buffers().download(e), "eval output");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#withReference")
    void linearAloneMatchesPyTorch(String name) throws Exception {
        Backend backend = TestBackends.get(name);
        NpyArray x = load("x");
        int batch = (int) x.shape()[0], in = (int) x.shape()[1], out = (int) load("bias").shape()[0];
        try (ProjectionHead head = new ProjectionHead(backend, new HeadConfig(in, out, 0f, false), batch);
             DeviceFloats dx = upload(backend, x.toFloats()); DeviceFloats r = upload(backend, load("r").toFloats())) {
            head.load(fixtureDict(false), "");
            close(load("linear_out").toFloats(), backend.buffers().download(head.forwardTrain(dx, batch)), "output");
            head.backward(r, dx, batch);
            float[] g = backend.buffers().download(head.gradients());
            close(load("d_weight_linear").toFloats(), slice(g, 0, out * in), "dWeight");
            close(load("d_bias_linear").toFloats(), slice(g, out * in, out), "dBias");
            try (DeviceFloats e = backend.buffers().allocFloats((long) batch * out)) {
                head.forwardEval(dx, batch, e);
                close(load("linear_out").toFloats(), backend.buffers().download(e), "eval output");
            }
        }
    }

    @Test
    void aStateDictOfAnotherShapeIsRefusedNamingTheTensor() throws Exception {
        try (ProjectionHead head = new ProjectionHead(TestBackends.reference(), new HeadConfig(36, 11, 0f, false), 4)) {
            StateDictMismatchException e = assertThrows(StateDictMismatchException.class,
                    () -> head.load(fixtureDict(false), ""));
            assertEquals("fixture: tensor 'weight' has shape (11, 37), expected (11, 36)", e.getMessage());
        }
    }

    private static StateDict fixtureDict(boolean batchNorm) throws Exception {
        List<HostTensor> t = new ArrayList<>();
        t.add(tensor("weight", "weight"));
        t.add(tensor("bias", "bias"));
        if (batchNorm) {
            t.add(tensor("bn.weight", "bn_weight"));
            t.add(tensor("bn.bias", "bn_bias"));
            t.add(tensor("bn.running_mean", "bn_running_mean"));
            t.add(tensor("bn.running_var", "bn_running_var"));
            t.add(HostTensor.ofLongs("bn.num_batches_tracked", new long[] {0}));
        }
        return StateDict.of("fixture", t);
    }

    private static HostTensor tensor(String key, String file) throws Exception {
        NpyArray a = load(file);
        return HostTensor.ofFloats(key, a.toFloats(), a.shape());
    }

    private static void close(float[] expected, float[] actual, String what) {
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        Tolerance.assertClose(expected, actual, TOL * Math.max(1, scale), what);
    }

    private static float[] slice(float[] v, int from, int n) {
        return java.util.Arrays.copyOfRange(v, from, from + n);
    }

    private static DeviceFloats upload(Backend backend, float[] values) {
        DeviceFloats b = backend.buffers().allocFloats(values.length);
        backend.buffers().upload(values, b);
        return b;
    }

    static NpyArray load(String name) throws IOException, URISyntaxException {
        return NpyArray.read(Path.of(ProjectionHeadTest.class.getResource("/head/" + name + ".npy").toURI()));
    }
}
