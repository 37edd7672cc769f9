package org.unicom4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceFloats;
import org.unicom4j.kernels.Matrix;
import org.unicom4j.kernels.cpu.CpuBackend;

/**
 * SGEMM GFLOP/s per CPU-second: the cpu backend timed with the CPU clocks of the JVM's threads
 * ({@link ThreadMXBean#getThreadCpuTime}) rather than the wall clock. On a machine other processes share, wall
 * time measures the scheduler; CPU time still measures the kernel (up to what the neighbours do to the shared
 * L3, memory bandwidth and the caches they evict). tools/bench/torch_sgemm.py --cpu-time measures PyTorch the
 * same way.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *   org.unicom4j.bench.SgemmCpuTime [--seconds 3] [--layout nn,nt,tn,tt] [--shape 512x512x512x1,...] [--threads 1]
 * </pre>
 * Per case, over repetitions of at least 10 ms of CPU time (the best of many short ones is the one least
 * disturbed by other processes): the best and median GFLOP/s per CPU-second, summed over all threads. With
 * {@code --threads N > 1} also "busiest": the flops over the CPU time of the busiest thread, best and median,
 * which is what the wall clock would show if the threads ran side by side without waiting (an upper bound for
 * a quiet machine: it leaves out hand-off latencies and a slower clock with every core busy); and, always, the
 * best wall-clock GFLOP/s, meaningful only on a quiet machine.
 */
public final class SgemmCpuTime {
    private static final String SHAPES = "512x512x512x1,1024x1024x1024x1,2048x2048x2048x1,392x2304x768x1,"
            + "392x768x3072x1,392x3072x768x1,49x49x64x12";
    private static final long MIN_REP_NANOS = 10_000_000L;
    private static final ThreadMXBean CLOCKS = ManagementFactory.getThreadMXBean();

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
        System.out.printf(Locale.ROOT, "cpu backend, %d thread(s), GFLOP/s per CPU-second%n", threads);
        System.out.printf(Locale.ROOT, "%-20s %-6s %8s %8s %8s %8s %8s%n", "shape m x n x k x b", "layout", "best",
                "median", "busiest", "(median)", "wall");
        try (Backend backend = new CpuBackend(threads)) {
            for (String layout : layouts.split(",")) {
                for (String shape : shapes.split(",")) {
                    double[] r = measure(backend, parse(shape), layout, seconds);
                    System.out.printf(Locale.ROOT, "%-20s %-6s %8.1f %8.1f %8.1f %8.1f %8.1f%n", shape, layout, r[0],
                            r[1], r[2], r[3], r[4]);
                }
            }
        }
    }

    /** Best and median GFLOP/s per CPU-second, best and median over the busiest thread, best wall-clock. */
    private static double[] measure(Backend backend, int[] s, String layout, double seconds) {
        int m = s[0], n = s[1], k = s[2], batch = s[3];
        if (!layout.matches("[nt][nt]")) {
            throw new IllegalArgumentException("layout '" + layout + "': expected nn, nt, tn or tt");
        }
        boolean transA = layout.charAt(0) == 't', transB = layout.charAt(1) == 't';
        SplittableRandom random = new SplittableRandom(42);
        try (DeviceFloats a = upload(backend, random, (long) batch * m * k);
             DeviceFloats b = upload(backend, random, (long) batch * k * n);
             DeviceFloats c = backend.buffers().allocFloats((long) batch * m * n)) {
            Matrix av = transA ? Matrix.of(a, k, m).transpose() : Matrix.of(a, m, k);
            Matrix bv = transB ? Matrix.of(b, n, k).transpose() : Matrix.of(b, k, n), cv = Matrix.of(c, m, n);
            Runnable product = () -> backend.gemm().multiplyBatched(batch, 1f, av, (long) m * k, bv, (long) k * n, 0f,
                    cv, (long) m * n);
            double flops = 2.0 * m * n * k * batch;
            long warm = total(cpuTimes()), warmCalls = 0;
            while (total(cpuTimes()) - warm < 1_000_000_000L) {
                product.run();
                warmCalls++;
            }
            // Calls between clock readings: reading every thread's clock takes tens of microseconds.
            int calls = (int) Math.max(1, warmCalls / 1000);
            double[] all = new double[0], busiest = new double[0];
            double wall = 0;
            long spent = 0;
            while (spent < seconds * 1e9 || all.length < 5) {
                Map<Long, Long> before = cpuTimes();
                long w0 = System.nanoTime(), t;
                int done = 0;
                Map<Long, Long> after;
                do {
                    for (int i = 0; i < calls; i++) {
                        product.run();
                    }
                    done += calls;
                    after = cpuTimes();
                    t = total(after) - total(before);
                } while (t < MIN_REP_NANOS);
                long w = System.nanoTime() - w0, most = 0;
                for (Map.Entry<Long, Long> e : after.entrySet()) {
                    most = Math.max(most, e.getValue() - before.getOrDefault(e.getKey(), 0L));
                }
                spent += t;
                all = append(all, flops * done / t);
                busiest = append(busiest, flops * done / most);
                wall = Math.max(wall, flops * done / w);
            }
            Arrays.sort(all);
            Arrays.sort(busiest);
            return new double[] {all[all.length - 1], all[all.length / 2], busiest[busiest.length - 1],
                busiest[busiest.length / 2], wall};
        }
    }

    /** CPU time (ns) of every live thread of the JVM, by thread id. */
    private static Map<Long, Long> cpuTimes() {
        Map<Long, Long> times = new HashMap<>();
        for (long id : CLOCKS.getAllThreadIds()) {
            long t = CLOCKS.getThreadCpuTime(id);
            if (t > 0) {
                times.put(id, t);
            }
        }
        return times;
    }

    private static long total(Map<Long, Long> times) {
        long sum = 0;
        for (long t : times.values()) {
            sum += t;
        }
        return sum;
    }

    private static double[] append(double[] xs, double x) {
        double[] out = Arrays.copyOf(xs, xs.length + 1);
        out[xs.length] = x;
        return out;
    }

    private static DeviceFloats upload(Backend backend, SplittableRandom random, long length) {
        float[] host = new float[Math.toIntExact(length)];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) (random.nextDouble() * 2 - 1);
        }
        DeviceFloats buffer = backend.buffers().allocFloats(length);
        backend.buffers().upload(host, buffer);
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
