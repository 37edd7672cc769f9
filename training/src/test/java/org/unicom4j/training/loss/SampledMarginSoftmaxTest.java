package org.unicom4j.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Margin;
import org.unicom4j.kernels.TestBackends;
import org.unicom4j.kernels.TestData;

/**
 * One step of the sampled loss against a host double-precision computation over the same sampled classes and
 * dims (replayed from the same seed): the loss, and gradients that are zero outside the sampled rows and dims.
 */
class SampledMarginSoftmaxTest {

    @ParameterizedTest
    @MethodSource("org.unicom4j.kernels.TestBackends#names")
    void stepMatchesHostReferenceOverTheSampledSubset(String backendName) {
        Backend backend = TestBackends.get(backendName);
        int classes = 300, emb = 40, dims = 29, batch = 17;
        double rate = 0.1;
        Margin margin = Margin.arcFace(32f, 0.3f);
        int[] labels = new int[batch];
        SplittableRandom labelRandom = new SplittableRandom(3);
        for (int i = 0; i < batch; i++) {
            labels[i] = labelRandom.nextInt(classes / 4) * 4; // duplicates likely
        }
        float[] e = TestData.gaussian(5, batch * emb, 1.0);
        try (SampledMarginSoftmax loss = new SampledMarginSoftmax(backend, classes, emb, dims, rate, margin, batch);
             DeviceFloats embeddings = backend.buffers().allocFloats((long) batch * emb);
             DeviceFloats dE = backend.buffers().allocFloats((long) batch * emb)) {
            loss.initPrototypes(9, 0.01);
            backend.buffers().upload(e, embeddings);
            float value = loss.forwardBackward(embeddings, labels, batch, dE, new SplittableRandom(42));
            float[] w = backend.buffers().download(loss.prototypes());
            float[] dW = backend.buffers().download(loss.prototypeGradient());
            float[] gradE = backend.buffers().download(dE);

            // Replay the sampling with the same seed and the same order of draws.
            SplittableRandom replay = new SplittableRandom(42);
            ClassSampler classSampler = new ClassSampler(classes, rate, batch);
            classSampler.sample(labels, batch, replay);
            int[] sampled = Arrays.copyOf(classSampler.sampledClasses(), classSampler.sampledCount());
            int[] chosenDims = new DimensionSampler(emb, dims).sample(replay).clone();
            assertEquals(30, sampled.length, "int(0.1 * 300) classes, the batch's included");

            double expected = hostLoss(e, w, labels, sampled, chosenDims, emb, margin);
            assertEquals(expected, value, 1e-4 * Math.max(1, Math.abs(expected)), "loss");
            boolean[] rowSampled = new boolean[classes], dimSampled = new boolean[emb];
            for (int c : sampled) {
                rowSampled[c] = true;
            }
            for (int d : chosenDims) {
                dimSampled[d] = true;
            }
            for (int c = 0; c < classes; c++) {
                for (int d = 0; d < emb; d++) {
                    if (!rowSampled[c] || !dimSampled[d]) {
                        assertEquals(0f, dW[c * emb + d], "dW outside the sampled rows/dims, class " + c + " dim " + d);
                    }
                }
            }
            for (int i = 0; i < batch; i++) {
                for (int d = 0; d < emb; d++) {
                    if (!dimSampled[d]) {
                        assertEquals(0f, gradE[i * emb + d], "dE on an unsampled dim");
                    }
                }
            }
        }
    }

    /** Gather, normalise after selection, clamp, ArcFace on the target, cross-entropy; all in double. */
    private static double hostLoss(float[] e, float[] w, int[] labels, int[] sampled, int[] dims, int emb,
                                   Margin margin) {
        int batch = labels.length;
        double total = 0;
        for (int i = 0; i < batch; i++) {
            double[] z = new double[sampled.length];
            int target = Arrays.binarySearch(sampled, labels[i]);
            for (int j = 0; j < sampled.length; j++) {
                double dot = 0, ne = 0, nw = 0;
                for (int d : dims) {
                    double x = e[i * emb + d], y = w[sampled[j] * emb + d];
                    dot += x * y;
                    ne += x * x;
                    nw += y * y;
                }
                double cos = Math.max(-1, Math.min(1, dot / (Math.max(Math.sqrt(ne), 1e-12) * Math.max(Math.sqrt(nw),
                        1e-12))));
                z[j] = margin.scale() * (j == target ? Math.cos(Math.acos(cos) + margin.angular()) : cos);
            }
            double max = Arrays.stream(z).max().orElseThrow(), sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            total -= Math.log(Math.max(Math.exp(z[target] - max) / sum, 1e-30));
        }
        return total / batch;
    }
}
