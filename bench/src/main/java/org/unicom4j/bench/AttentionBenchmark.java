package org.unicom4j.bench;

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

/**
 * Self-attention on the CPU backend at the ViT-B/16 shape (197 tokens, 12 heads of 64): the backend's fused
 * kernel (one task per sample and head) against Backend's default composition, rebuilt here from the public
 * batched GEMM and row-softmax kernels. Commands and results: docs/PERFORMANCE.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AttentionBenchmark {
    @Param("8")
    public int batch;
    @Param("197")
    public int tokens;
    @Param("12")
    public int heads;
    @Param("64")
    public int headDim;

    private Backend backend;
    private DeviceFloats qkv, probs, out, dOut, dProbs, dQkv;
    private float scale;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.open("cpu");
        int d = heads * headDim;
        long nn = (long) tokens * tokens;
        SplittableRandom random = new SplittableRandom(11);
        qkv = upload(random, (long) batch * tokens * 3 * d);
        dOut = upload(random, (long) batch * tokens * d);
        probs = backend.buffers().allocFloats(batch * heads * nn);
        dProbs = backend.buffers().allocFloats(batch * heads * nn);
        out = backend.buffers().allocFloats((long) batch * tokens * d);
        dQkv = backend.buffers().allocFloats((long) batch * tokens * 3 * d);
        scale = (float) (1 / Math.sqrt(headDim));
        backend.layers().attention(qkv, probs, out, batch, tokens, heads, headDim, scale);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public void fusedForward() {
        backend.layers().attention(qkv, probs, out, batch, tokens, heads, headDim, scale);
    }

    @Benchmark
    public void composedForward() {
        int n = tokens, d = heads * headDim;
        long nn = (long) n * n;
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(q, n, headDim, 3 * d), headDim, Matrix.of(q.slice(d),
                    n, headDim, 3 * d).transpose(), headDim, 0f, Matrix.of(probs.slice(b * heads * nn), n, n), nn);
        }
        backend.layers().softmaxRows(probs, probs, batch * heads * n, n, scale);
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(probs.slice(b * heads * nn), n, n), nn,
                    Matrix.of(q.slice(2L * d), n, headDim, 3 * d), headDim, 0f, Matrix.of(out.slice((long) b * n * d),
                    n, headDim, d), headDim);
        }
    }

    @Benchmark
    public void fusedBackward() {
        backend.layers().attentionBackward(qkv, probs, dOut, dProbs, dQkv, batch, tokens, heads, headDim, scale);
    }

    @Benchmark
    public void composedBackward() {
        int n = tokens, d = heads * headDim, hd = headDim;
        long nn = (long) n * n;
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d), dq = dQkv.slice((long) b * n * 3 * d);
            DeviceFloats p = probs.slice(b * heads * nn), dp = dProbs.slice(b * heads * nn);
            DeviceFloats g = dOut.slice((long) b * n * d);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(p, n, n).transpose(), nn, Matrix.of(g, n, hd, d), hd,
                    0f, Matrix.of(dq.slice(2L * d), n, hd, 3 * d), hd);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(g, n, hd, d), hd, Matrix.of(q.slice(2L * d), n, hd,
                    3 * d).transpose(), hd, 0f, Matrix.of(dp, n, n), nn);
        }
        backend.layers().softmaxRowsBackward(probs, dProbs, dProbs, batch * heads * n, n, scale);
        for (int b = 0; b < batch; b++) {
            DeviceFloats q = qkv.slice((long) b * n * 3 * d), dq = dQkv.slice((long) b * n * 3 * d);
            DeviceFloats ds = dProbs.slice(b * heads * nn);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(ds, n, n), nn, Matrix.of(q.slice(d), n, hd, 3 * d),
                    hd, 0f, Matrix.of(dq, n, hd, 3 * d), hd);
            backend.gemm().multiplyBatched(heads, 1f, Matrix.of(ds, n, n).transpose(), nn, Matrix.of(q, n, hd, 3 * d),
                    hd, 0f, Matrix.of(dq.slice(d), n, hd, 3 * d), hd);
        }
    }

    private DeviceFloats upload(SplittableRandom random, long n) {
        float[] host = new float[(int) n];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) (random.nextDouble() * 2 - 1);
        }
        DeviceFloats buffer = backend.buffers().allocFloats(n);
        backend.buffers().upload(host, buffer);
        return buffer;
    }
}
