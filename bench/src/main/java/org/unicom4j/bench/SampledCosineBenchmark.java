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
import org.unicom4j.kernels.IndexList;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.SampledPrototypes;
import org.unicom4j.kernels.cpu.CpuFloats;

/**
 * The fused sampled-prototype cosine logits (forward + backward) against gather-then-GEMM, at the
 * pre-training shape of the spec: B = 256, C = 100,000 prototypes of De = 512, class rate 0.1
 * (10,000 sampled classes), d' = 256 sampled dims. Run with {@code -prof gc} to see the bytes allocated
 * per operation (gc.alloc.rate.norm). Commands and results: docs/PERFORMANCE.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 6, time = 3)
public class SampledCosineBenchmark {
    @Param("256")
    public int batch;
    @Param("100000")
    public int classes;
    @Param("512")
    public int embDim;
    @Param("0.1")
    public double classRate;
    @Param("256")
    public int sampledDims;

    private Backend backend;
    private int sampledClasses;
    private int[] classIdx, dims;
    private DeviceFloats e, w, dE, dW, eNorms, wNorms, cos, dCos;
    private IndexList classList, dimList;
    private SampledPrototypes sample;
    private GatherThenGemmCosine baseline;

    @Setup(Level.Trial)
    public void setUp() {
        setUp(Backends.open("cpu"));
    }

    /** Inputs on the given backend (also used by {@link SampledCosineSideBySide}). */
    void setUp(Backend backend) {
        this.backend = backend;
        sampledClasses = (int) (classRate * classes);
        SplittableRandom random = new SplittableRandom(7);
        classIdx = sortedSubset(random, sampledClasses, classes);
        dims = sortedSubset(random, sampledDims, embDim);
        e = upload(random, batch * embDim, 1.0);
        w = upload(random, classes * embDim, 0.01);
        dCos = upload(random, batch * sampledClasses, 1e-3);
        dE = backend.buffers().allocFloats((long) batch * embDim);
        dW = backend.buffers().allocFloats((long) classes * embDim);
        eNorms = backend.buffers().allocFloats(batch);
        wNorms = backend.buffers().allocFloats(sampledClasses);
        cos = backend.buffers().allocFloats((long) batch * sampledClasses);
        classList = backend.buffers().allocIndexList(sampledClasses);
        dimList = backend.buffers().allocIndexList(sampledDims);
        sample = new SampledPrototypes(Matrix.of(w, classes, embDim), classList, dimList, eNorms, wNorms);
        baseline = new GatherThenGemmCosine(backend, batch, embDim, sampledClasses, sampledDims);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        baseline.close();
        backend.close();
    }

    /**
     * Forward and backward of the fused kernel (gathers, norms and scatter inside the tiled products), after
     * writing the step's sampled indices as a training step does (checked on the host, then copied).
     */
    @Benchmark
    public DeviceFloats fusedForwardBackward() {
        fusedForward();
        backend.prototypeLosses().sampledCosineLogitsBackward(dCos, cos, e, batch, sample, dE, dW);
        return dW;
    }

    /** Forward and backward the unfused way (new gathered arrays, normalise, GEMMs, scatter). */
    @Benchmark
    public DeviceFloats gatherThenGemmForwardBackward() {
        baseline.forward((CpuFloats) e, (CpuFloats) w, classIdx, dims, cos);
        baseline.backward(dCos, classIdx, dims, (CpuFloats) dE, (CpuFloats) dW);
        return dW;
    }

    /** The fused forward, after writing the sampled indices. */
    @Benchmark
    public DeviceFloats fusedForward() {
        classList.write(classIdx, sampledClasses);
        dimList.write(dims, sampledDims);
        backend.prototypeLosses().sampledCosineLogits(e, batch, sample, cos);
        return cos;
    }

    @Benchmark
    public DeviceFloats gatherThenGemmForward() {
        baseline.forward((CpuFloats) e, (CpuFloats) w, classIdx, dims, cos);
        return cos;
    }

    private DeviceFloats upload(SplittableRandom random, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((random.nextDouble() * 2 - 1) * std);
        }
        DeviceFloats buf = backend.buffers().allocFloats(n);
        backend.buffers().upload(x, buf);
        return buf;
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
