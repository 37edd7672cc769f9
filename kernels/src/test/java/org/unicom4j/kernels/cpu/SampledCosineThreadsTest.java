package org.unicom4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.SampledPrototypes;
import org.unicom4j.kernels.TestData;
import org.unicom4j.kernels.Tolerance;

/**
 * The CPU fused sampled-cosine kernels on one thread and on three, at a shape split into several panels of
 * either pass (with partial last panels, a batch not a multiple of the tile rows, d' not a multiple of the tile
 * columns): cos, the norms and dW must be bitwise the same (every element is computed whole by one panel),
 * dE the same within rounding (its per-thread shares are summed in a fixed order, but how many there are
 * depends on the thread count).
 */
class SampledCosineThreadsTest {
    private static final int BATCH = 9, EMB = 70, CLASSES = 3000, SAMPLED = 1100, DIMS = 50;

    @Test
    void oneAndThreeThreadsAgree() {
        float[][] one = run(1), three = run(3);
        String[] names = {"cos", "eNorms", "wNorms", "dW"};
        for (int x = 0; x < names.length; x++) {
            assertArrayEquals(one[x], three[x], names[x] + " differs between one thread and three");
        }
        Tolerance.assertClose(one[4], three[4], Tolerance.forReduction(SAMPLED), "dE, one thread vs three");
    }

    /** cos, eNorms, wNorms, dW, dE after a forward and a backward on a fresh backend with the given threads. */
    private static float[][] run(int threads) {
        try (Backend b = new CpuBackend(threads)) {
            DeviceFloats e = upload(b, TestData.uniform(1, BATCH * EMB));
            DeviceFloats w = upload(b, TestData.gaussian(2, CLASSES * EMB, 0.01));
            DeviceFloats dCos = upload(b, TestData.uniform(3, BATCH * SAMPLED));
            DeviceFloats dE = upload(b, TestData.uniform(4, BATCH * EMB));
            DeviceFloats dW = upload(b, TestData.uniform(5, CLASSES * EMB));
            IndexList classIdx = b.buffers().allocIndexList(SAMPLED), dims = b.buffers().allocIndexList(DIMS);
            classIdx.write(TestData.sortedSubset(6, SAMPLED, CLASSES), SAMPLED);
            dims.write(TestData.sortedSubset(7, DIMS, EMB), DIMS);
            DeviceFloats eNorms = b.buffers().allocFloats(BATCH), wNorms = b.buffers().allocFloats(SAMPLED);
            DeviceFloats cos = b.buffers().allocFloats((long) BATCH * SAMPLED);
            SampledPrototypes sample = new SampledPrototypes(Matrix.of(w, CLASSES, EMB), classIdx, dims, eNorms,
                    wNorms);
            b.prototypeLosses().sampledCosineLogits(e, BATCH, sample, cos);
            b.prototypeLosses().sampledCosineLogitsBackward(dCos, cos, e, BATCH, sample, dE, dW);
            return new float[][] {b.buffers().download(cos), b.buffers().download(eNorms),
                    b.buffers().download(wNorms), b.buffers().download(dW),
                    b.buffers().download(dE)};
        }
    }

    private static DeviceFloats upload(Backend b, float[] values) {
        DeviceFloats buf = b.buffers().allocFloats(values.length);
        b.buffers().upload(values, buf);
        return buf;
    }
}
