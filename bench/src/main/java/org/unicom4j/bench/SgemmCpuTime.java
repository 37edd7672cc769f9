package org.unicom4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.cpu.CpuBackend;

/**
 * SGEMM GFLOP/s per CPU-second: by default the cpu backend with a single thread, timed with the calling
 * thread's CPU clock ({@link ThreadMXBean#getCurrentThreadCpuTime}) rather than the wall clock. On a machine
 * other processes share, wall time measures the scheduler; thread CPU time still measures the kernel (up to
 * what the neighbours do to the shared L3 and memory bandwidth). tools/bench/torch_sgemm.py --cpu-time
 * measures PyTorch the same way. With {@code --threads N} (N > 1) the clock is the process's CPU time, so
 * the figure is per core-second of all N threads (what splitting the work costs, not what it gains), and
 * the wall-clock GFLOP/s of the best repetition is printed beside it.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *   org.unicom4j.bench.SgemmCpuTime [--seconds 3] [--layout nn,nt,tn,tt] [--shape 512x512x512x1,...] [--threads 1]
 * </pre>
 * Prints, per case, the best and the median GFLOP/s over repetitions (each at least 10 ms of CPU time: the best of many short ones is the one least disturbed by other processes).
 */
public final class SgemmCpuTime {
    private static final String SHAPES = "512x512x512x1,1024x1024x1024x1,2048x2048x2048x1,392x2304x768x1,"
            + "392x768x3072x1,392x3072x768x1,49x49x64x12";
    private static final long MIN_REP_NANOS = 10_000_000L;

    private SgemmCpuTime() {
    }

    public static void main(String[] args) {
        double seconds = 3;
        String shapes = SHAPES, layouts = "nn,nt";
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--shape" -> shapes = args[++i];
                case "--layout" -> layouts = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("argument '" + args[i]
                        + "': expected --seconds S, --shape MxNxKxB,..., --layout nn,nt,tn,tt, --threads N");
            }
        }
        LongSupplier clock = threads == 1 ? ManagementFactory.getThreadMXBean()::getCurrentThreadCpuTime
                : ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())::getProcessCpuTime;
        System.out.printf(Locale.ROOT, "cpu backend, %d thread(s), GFLOP/s per CPU-second%n", threads);
        System.out.printf(Locale.ROOT, "%-20s %-6s %10s %10s %10s%n", "shape m x n x k x b", "layout", "best", "median",
                "wall");
        try (Backend backend = new CpuBackend(threads)) {
            for (String layout : layouts.split(",")) {
                for (String shape : shapes.split(",")) {
                    double[] gflops = measure(backend, clock, parse(shape), layout, seconds);
                    System.out.printf(Locale.ROOT, "%-20s %-6s %10.1f %10.1f %10.1f%n", shape, layout, gflops[0],
                            gflops[1], gflops[2]);
                }
            }
        }
    }

    /**
     * Best and median GFLOP/s per CPU-second over repetitions filling about {@code seconds} of CPU time, and the
     * best wall-clock GFLOP/s.
     */
    private static double[] measure(Backend backend, LongSupplier clock, int[] s, String layout, double seconds) {
        int m = s[0], n = s[1], k = s[2], batch = s[3];
        if (layout.length() != 2 || "nt".indexOf(layout.charAt(0)) < 0 || "nt".indexOf(layout.charAt(1)) < 0) {
            throw new IllegalArgumentException("layout '" + layout + "': expected nn, nt, tn or tt");
        }
        boolean transA = layout.charAt(0) == 't', transB = layout.charAt(1) == 't';
        SplittableRandom random = new SplittableRandom(42);
        try (DeviceFloats a = upload(backend, random, (long) batch * m * k);
             DeviceFloats b = upload(backend, random, (long) batch * k * n);
             DeviceFloats c = backend.allocFloats((long) batch * m * n)) {
            int lda = transA ? m : k, ldb = transB ? k : n;
            Runnable product = () -> backend.gemmStridedBatched(transA, transB, m, n, k, 1f, a, lda, (long) m * k, b,
                    ldb, (long) k * n, 0f, c, n, (long) m * n, batch);
            double flops = 2.0 * m * n * k * batch;
            long warm = clock.getAsLong();
            while (clock.getAsLong() - warm < 1_000_000_000L) {
                product.run();
            }
            List<Double> rates = new ArrayList<>();
            double wall = 0;
            long start = clock.getAsLong();
            while (clock.getAsLong() - start < seconds * 1e9 || rates.size() < 5) {
                long t0 = clock.getAsLong(), w0 = System.nanoTime(), t;
                int done = 0;
                do {
                    product.run();
                    done++;
                    t = clock.getAsLong() - t0;
                } while (t < MIN_REP_NANOS);
                rates.add(flops * done / t);
                wall = Math.max(wall, flops * done / (System.nanoTime() - w0));
            }
            double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new double[] {sorted[sorted.length - 1], sorted[sorted.length / 2], wall};
        }
    }

    private static DeviceFloats upload(Backend backend, SplittableRandom random, long length) {
        float[] host = new float[Math.toIntExact(length)];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) (random.nextDouble() * 2 - 1);
        }
        DeviceFloats buffer = backend.allocFloats(length);
        backend.upload(host, buffer);
        return buffer;
    }

    private static int[] parse(String shape) {
        int[] s = Arrays.stream(shape.split("x")).mapToInt(Integer::parseInt).toArray();
        if (s.length != 4) {
            throw new IllegalArgumentException("shape '" + shape + "': expected m x n x k x batch, e.g. 512x512x512x1");
        }
        return s;
    }
}
