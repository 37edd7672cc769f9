package org.unicom4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;

/**
 * Fused sampled-cosine forward + backward and gather-then-GEMM, alternated step by step on the same inputs,
 * reporting minimum and median wall time and CPU time (all threads of this JVM) per step. On a shared,
 * noisy machine JMH's sequential runs of one benchmark after the other drift with the load; alternating
 * exposes both to the same conditions, and the minimum estimates the unloaded cost. Same shape and data as
 * {@link SampledCosineBenchmark}. Also prints the bytes the fused step allocates (all threads).
 *
 * <p>Usage: {@code SampledCosineSideBySide [steps=40] [threads=all]}.
 */
public final class SampledCosineSideBySide {
    private SampledCosineSideBySide() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        SampledCosineBenchmark fused = new SampledCosineBenchmark();
        fused.batch = 256;
        fused.classes = 100_000;
        fused.embDim = 512;
        fused.classRate = 0.1;
        fused.sampledDims = 256;
        Backend backend = args.length > 1 ? new org.unicom4j.kernels.cpu.CpuBackend(Integer.parseInt(args[1]))
                : Backends.open("cpu");
        fused.setUp(backend);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[][] t = new long[4][steps];
        long[] allocated = new long[steps];
        for (int s = 0; s < steps; s++) {
            long c0 = cpuTime(mx), w0 = System.nanoTime();
            // Reading the counters allocates (thread id and result arrays): take what one empty reading costs off.
            long a0 = allocatedBytes(mx), a1 = allocatedBytes(mx);
            fused.fusedForwardBackward();
            long a2 = allocatedBytes(mx);
            long c1 = cpuTime(mx), w1 = System.nanoTime();
            allocated[s] = (a2 - a1) - (a1 - a0);
            fused.gatherThenGemmForwardBackward();
            long c2 = cpuTime(mx), w2 = System.nanoTime();
            t[0][s] = w1 - w0;
            t[1][s] = w2 - w1;
            t[2][s] = c1 - c0;
            t[3][s] = c2 - c1;
        }
        System.out.println(backend.description() + ", " + steps + " alternated steps (first third dropped as warm-up)");
        String[] names = {"fused wall", "gather-then-GEMM wall", "fused cpu", "gather-then-GEMM cpu"};
        for (int i = 0; i < 4; i++) {
            long[] x = Arrays.copyOfRange(t[i], steps / 3, steps);
            Arrays.sort(x);
            System.out.printf("%-22s min %7.1f ms   median %7.1f ms%n", names[i], x[0] / 1e6, x[x.length / 2] / 1e6);
        }
        long[] a = Arrays.copyOfRange(allocated, steps / 3, steps);
        Arrays.sort(a);
        System.out.printf("fused step allocated (all threads, the counters' own cost taken off): min %d B, median %d B%n",
                a[0], a[a.length / 2]);
        fused.tearDown();
    }

    /** Bytes allocated so far by every live thread of this JVM (HotSpot's ThreadMXBean extension). */
    private static long allocatedBytes(ThreadMXBean mx) {
        long[] ids = mx.getAllThreadIds();
        long sum = 0;
        for (long b : ((com.sun.management.ThreadMXBean) mx).getThreadAllocatedBytes(ids)) {
            if (b > 0) {
                sum += b;
            }
        }
        return sum;
    }

    /** CPU time of every live thread of this JVM (the backend's pool and the common pool included). */
    private static long cpuTime(ThreadMXBean mx) {
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }
}
