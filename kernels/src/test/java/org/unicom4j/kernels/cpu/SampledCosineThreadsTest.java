package org.unicom4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.DeviceInts;
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
            DeviceInts classIdx = b.allocInts(SAMPLED), dims = b.allocInts(DIMS);
            b.upload(TestData.sortedSubset(6, SAMPLED, CLASSES), classIdx);
            b.upload(TestData.sortedSubset(7, DIMS, EMB), dims);
            DeviceFloats eNorms = b.allocFloats(BATCH), wNorms = b.allocFloats(SAMPLED);
            DeviceFloats cos = b.allocFloats((long) BATCH * SAMPLED);
            b.sampledCosineLogits(e, BATCH, EMB, w, CLASSES, classIdx, SAMPLED, dims, DIMS, eNorms, wNorms, cos);
            b.sampledCosineLogitsBackward(dCos, cos, e, BATCH, EMB, w, CLASSES, classIdx, SAMPLED, dims, DIMS,
                    eNorms, wNorms, dE, dW);
            return new float[][] {b.download(cos), b.download(eNorms), b.download(wNorms), b.download(dW),
                    b.download(dE)};
        }
    }

    private static DeviceFloats upload(Backend b, float[] values) {
        DeviceFloats buf = b.allocFloats(values.length);
        b.upload(values, buf);
        return buf;
    }
}
