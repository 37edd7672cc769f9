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
import org.unicom4j.kernels.Matrix;

/**
 * Row-major SGEMM C = op(A) op(B) (fp32, beta = 0) on the cpu backend and on ND4J (OpenBLAS) in the same run:
 * square 512 / 1024 / 2048, the ViT-B/32 projections at 8 images x 49 tokens, and per-head attention products
 * batched over 12 heads; the layout names how A and B are stored: "nn" C = A B, "nt" C = A B^T with B stored
 * n x k (how the model's linear layers multiply by their out x in weights), "tn" with A stored k x m (their
 * weight gradients), "tt". Each benchmark method runs in its own fork, so ND4J is loaded only in its own.
 * {@link #main} runs JMH and prints GFLOP/s per case; the commands and results are in docs/PERFORMANCE.md, with
 * tools/bench/torch_sgemm.py for PyTorch on the same cases.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SgemmBenchmark {
    /** The product measured, and its operands as host arrays. */
    @State(Scope.Benchmark)
    public static class Case {
        /** m x n x k x batch. */
        @Param({"512x512x512x1", "1024x1024x1024x1", "2048x2048x2048x1", "392x2304x768x1", "392x768x3072x1",
            "392x3072x768x1", "49x49x64x12"})
        public String shape;
        /** How A and B are stored: "nn", "nt", "tn" or "tt" (the letter is t when the operand is transposed). */
        @Param({"nn", "nt"})
        public String layout;

        int m, n, k, batch;
        boolean transA, transB;
        float[] a, b;

        @Setup(Level.Trial)
        public void setUp() {
            int[] s = parse(shape);
            m = s[0];
            n = s[1];
            k = s[2];
            batch = s[3];
            if (!layout.matches("[nt][nt]")) {
                throw new IllegalArgumentException("layout '" + layout + "': expected nn, nt, tn or tt");
            }
            transA = layout.charAt(0) == 't';
            transB = layout.charAt(1) == 't';
            SplittableRandom random = new SplittableRandom(42);
            a = uniform(random, batch * m * k);
            b = uniform(random, batch * k * n);
        }
    }

    /** The operands on the cpu backend (only the cpu benchmark's fork opens it). */
    @State(Scope.Benchmark)
    public static class CpuOperands {
        Backend backend;
        DeviceFloats a, b, c;
        Matrix aView, bView, cView;

        @Setup(Level.Trial)
        public void setUp(Case cs) {
            backend = Backends.open("cpu");
            a = backend.buffers().allocFloats(cs.a.length);
            b = backend.buffers().allocFloats(cs.b.length);
            c = backend.buffers().allocFloats((long) cs.batch * cs.m * cs.n);
            backend.buffers().upload(cs.a, a);
            backend.buffers().upload(cs.b, b);
            aView = cs.transA ? Matrix.of(a, cs.k, cs.m).transpose() : Matrix.of(a, cs.m, cs.k);
            bView = cs.transB ? Matrix.of(b, cs.n, cs.k).transpose() : Matrix.of(b, cs.k, cs.n);
            cView = Matrix.of(c, cs.m, cs.n);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            a.close();
            b.close();
            c.close();
            backend.close();
        }
    }

    /** The operands as ND4J arrays (only the nd4j benchmark's fork loads ND4J). */
    @State(Scope.Benchmark)
    public static class Nd4jOperands {
        INDArray a, b, c;

        @Setup(Level.Trial)
        public void setUp(Case cs) {
            long aRows = cs.transA ? cs.k : cs.m, aCols = cs.transA ? cs.m : cs.k;
            long bRows = cs.transB ? cs.n : cs.k, bCols = cs.transB ? cs.k : cs.n;
            a = Nd4j.create(cs.a, shape(cs.batch, aRows, aCols), 'c');
            b = Nd4j.create(cs.b, shape(cs.batch, bRows, bCols), 'c');
            c = Nd4j.create(DataType.FLOAT, shape(cs.batch, cs.m, cs.n), 'c');
        }

        private static long[] shape(int batch, long rows, long cols) {
            return batch == 1 ? new long[] {rows, cols} : new long[] {batch, rows, cols};
        }
    }

    @Benchmark
    public DeviceFloats cpu(Case cs, CpuOperands op) {
        op.backend.gemm().multiplyBatched(cs.batch, 1f, op.aView, (long) cs.m * cs.k, op.bView, (long) cs.k * cs.n,
                0f, op.cView, (long) cs.m * cs.n);
        return op.c;
    }

    @Benchmark
    public INDArray nd4j(Case cs, Nd4jOperands op) {
        return Nd4j.matmul(op.a, op.b, op.c, cs.transA, cs.transB, false);
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
        System.out.printf(Locale.ROOT, "%n%-20s %-6s %-6s %10s %10s%n", "shape m x n x k x b", "layout", "impl",
                "ms/op", "GFLOP/s");
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape"), layout = r.getParams().getParam("layout");
            String impl = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            double ms = r.getPrimaryResult().getScore();
            int[] s = parse(shape);
            double flops = 2.0 * s[0] * s[1] * s[2] * s[3];
            System.out.printf(Locale.ROOT, "%-20s %-6s %-6s %10.3f %10.1f%n", shape, layout, impl, ms,
                    flops / (ms * 1e-3) / 1e9);
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
