package org.unicom4j.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import org.unicom4j.kernels.DeviceFloats;

/**
 * Row-major SGEMM C = A B (fp32, beta = 0) on the cpu backend and on ND4J (OpenBLAS) in the same run: square
 * 512 / 1024 / 2048, the ViT-B/32 projections at 8 images x 49 tokens, and per-head attention scores batched
 * over 12 heads. {@link #main} runs JMH and prints GFLOP/s per shape; the commands and results are in
 * docs/PERFORMANCE.md, with tools/bench/torch_sgemm.py for PyTorch on the same shapes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SgemmBenchmark {
    /** m x n x k x batch. */
    @Param({"512x512x512x1", "1024x1024x1024x1", "2048x2048x2048x1", "392x2304x768x1", "392x768x3072x1",
        "392x3072x768x1", "49x49x64x12"})
    public String shape;

    private int m, n, k, batch;
    private Backend backend;
    private DeviceFloats a, b, c;
    private INDArray na, nb, nc;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = parse(shape);
        m = s[0];
        n = s[1];
        k = s[2];
        batch = s[3];
        SplittableRandom random = new SplittableRandom(42);
        float[] ha = uniform(random, batch * m * k), hb = uniform(random, batch * k * n);
        backend = Backends.open("cpu");
        a = backend.allocFloats(ha.length);
        b = backend.allocFloats(hb.length);
        c = backend.allocFloats((long) batch * m * n);
        backend.upload(ha, a);
        backend.upload(hb, b);
        long[] aShape = batch == 1 ? new long[] {m, k} : new long[] {batch, m, k};
        long[] bShape = batch == 1 ? new long[] {k, n} : new long[] {batch, k, n};
        long[] cShape = batch == 1 ? new long[] {m, n} : new long[] {batch, m, n};
        na = Nd4j.create(ha, aShape, 'c');
        nb = Nd4j.create(hb, bShape, 'c');
        nc = Nd4j.create(DataType.FLOAT, cShape, 'c');
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
        backend.close();
    }

    @Benchmark
    public DeviceFloats cpu() {
        backend.gemmStridedBatched(false, false, m, n, k, 1f, a, k, (long) m * k, b, n, (long) k * n, 0f, c, n,
                (long) m * n, batch);
        return c;
    }

    @Benchmark
    public INDArray nd4j() {
        return Nd4j.matmul(na, nb, nc);
    }

    /** Runs the benchmark (JMH command-line options are passed through) and prints GFLOP/s per shape. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include(SgemmBenchmark.class.getSimpleName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.printf(Locale.ROOT, "%n%-20s %-6s %10s %10s%n", "shape m x n x k x b", "impl", "ms/op", "GFLOP/s");
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            String impl = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            double ms = r.getPrimaryResult().getScore();
            int[] s = parse(shape);
            double flops = 2.0 * s[0] * s[1] * s[2] * s[3];
            System.out.printf(Locale.ROOT, "%-20s %-6s %10.3f %10.1f%n", shape, impl, ms, flops / (ms * 1e-3) / 1e9);
        }
    }

    private static int[] parse(String shape) {
        String[] parts = shape.split("x");
        if (parts.length != 4) {
            throw new IllegalArgumentException("shape '" + shape + "': expected m x n x k x batch, e.g. 512x512x512x1");
        }
        int[] s = new int[4];
        for (int i = 0; i < 4; i++) {
            s[i] = Integer.parseInt(parts[i]);
        }
        return s;
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
