package org.unicom4j.bench.vit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of this JVM. {@link #process()} counts every thread, native ones included (ONNX Runtime's pool);
 * {@link #javaThreads()} only the Java threads (the CPU backend's fork-join pool, the caller, JIT and GC).
 */
final class CpuClock {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private CpuClock() {
    }

    static long process() {
        return OS.getProcessCpuTime();
    }

    static long javaThreads() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }
}
