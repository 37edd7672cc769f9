package org.unicom4j.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.SampledPrototypes;
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Margin;

/**
 * Kernels of the OpenCL backend (and, for scale, the same calls on the cpu backend): square SGEMM with and
 * without transposes, and one step of the sampled-prototype loss (fused cosine logits, margin softmax,
 * fused backward) at a fine-tuning shape. Every benchmark ends with {@code finish()}, so the time is the
 * device's, not the enqueue's. Commands and results: docs/PERFORMANCE.md, section "OpenCL backend".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Xmx4g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
public class OpenClBenchmark {
    @Param({"opencl", "cpu"})
    public String backendName;
    /** GEMM side: C [n, n] = A [n, n] B [n, n]. */
    @Param("1024")
    public int n;
    /** Sampled-loss shape: batch, sampled classes (of 10x as many), embedding dim, sampled dims. */
    @Param("128")
    public int batch;
    @Param("4096")
    public int sampledClasses;
    @Param("512")
    public int embDim;
    @Param("256")
    public int sampledDims;

    private Backend backend;
    private DeviceFloats a, b, c;
    private DeviceFloats e, w, eNorms, wNorms, cos, dCos, dE, dW, eGathered, wGathered;
    private IndexList labels;
    private SampledPrototypes sample;
    private int classes;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.open(backendName);
        SplittableRandom random = new SplittableRandom(11);
        a = random(random, n * n, 1);
        b = random(random, n * n, 1);
        c = backend.buffers().allocFloats((long) n * n);
        classes = 10 * sampledClasses;
        e = random(random, batch * embDim, 1);
        w = random(random, classes * embDim, 0.01);
        eNorms = backend.buffers().allocFloats(batch);
        wNorms = backend.buffers().allocFloats(sampledClasses);
        cos = backend.buffers().allocFloats((long) batch * sampledClasses);
        dCos = backend.buffers().allocFloats((long) batch * sampledClasses);
        dE = backend.buffers().allocFloats((long) batch * embDim);
        dW = backend.buffers().allocFloats((long) classes * embDim);
        sample = new SampledPrototypes(Matrix.of(w, classes, embDim), indices(sortedSubset(random, sampledClasses,
                classes)), indices(sortedSubset(random, sampledDims, embDim)), eNorms, wNorms);
        int[] y = new int[batch];
        Arrays.setAll(y, i -> random.nextInt(sampledClasses));
        labels = indices(y);
        eGathered = random(random, batch * sampledDims, 1);
        wGathered = random(random, sampledClasses * sampledDims, 0.01);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public void gemmNN() {
        backend.gemm().multiply(1f, Matrix.of(a, n, n), Matrix.of(b, n, n), 0f, Matrix.of(c, n, n));
        backend.finish();
    }

    @Benchmark
    public void gemmNT() {
        backend.gemm().multiply(1f, Matrix.of(a, n, n), Matrix.of(b, n, n).transpose(), 0f, Matrix.of(c, n, n));
        backend.finish();
    }

    @Benchmark
    public void gemmTN() {
        backend.gemm().multiply(1f, Matrix.of(a, n, n).transpose(), Matrix.of(b, n, n), 0f, Matrix.of(c, n, n));
        backend.finish();
    }

    @Benchmark
    public void sampledCosineForward() {
        backend.prototypeLosses().sampledCosineLogits(e, batch, sample, cos);
        backend.finish();
    }

    /**
     * The product inside the forward on operands already gathered and contiguous: the GEMM that
     * gather-then-GEMM would run, without its gathers and normalisation (a lower bound for that route).
     */
    @Benchmark
    public void gemmOfGatheredOperands() {
        backend.gemm().multiply(1f, Matrix.of(eGathered, batch, sampledDims), Matrix.of(wGathered, sampledClasses,
                sampledDims).transpose(), 0f, Matrix.of(cos, batch, sampledClasses));
        backend.finish();
    }

    /** Forward, loss (one float read back) and backward: the loss part of a training step. */
    @Benchmark
    public float sampledLossStep() {
        backend.prototypeLosses().sampledCosineLogits(e, batch, sample, cos);
        float loss = backend.prototypeLosses().marginSoftmaxLoss(cos, batch, sampledClasses, labels,
                Margin.arcFace(32f, 0.3f), dCos);
        backend.prototypeLosses().sampledCosineLogitsBackward(dCos, cos, e, batch, sample, dE, dW);
        backend.finish();
        return loss;
    }

    private DeviceFloats random(SplittableRandom random, int length, double scale) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        DeviceFloats buffer = backend.buffers().allocFloats(length);
        backend.buffers().upload(x, buffer);
        return buffer;
    }

    private IndexList indices(int[] values) {
        IndexList list = backend.buffers().allocIndexList(values.length);
        list.write(values, values.length);
        return list;
    }

    private static int[] sortedSubset(SplittableRandom random, int k, int bound) {
        int[] pool = new int[bound];
        Arrays.setAll(pool, i -> i);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(bound - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int[] out = Arrays.copyOf(pool, k);
        Arrays.sort(out);
        return out;
    }
}
