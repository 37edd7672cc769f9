package org.unicom4j.bench.vit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Wall time, CPU time, call count and flops accumulated per kernel name (or per GEMM shape). */
final class KernelTimes {
    /** One row of the table. */
    record Entry(String name, long calls, long nanos, long cpuNanos, double flops) {
    }

    private final Map<String, long[]> times = new LinkedHashMap<>();
    private final Map<String, Double> flops = new LinkedHashMap<>();

    void add(String name, long nanos, long cpuNanos, double flop) {
        long[] t = times.computeIfAbsent(name, k -> new long[3]);
        t[0]++;
        t[1] += nanos;
        t[2] += cpuNanos;
        flops.merge(name, flop, Double::sum);
    }

    void reset() {
        times.clear();
        flops.clear();
    }

    long totalNanos() {
        return total(1);
    }

    long totalCpuNanos() {
        return total(2);
    }

    private long total(int column) {
        long sum = 0;
        for (long[] t : times.values()) {
            sum += t[column];
        }
        return sum;
    }

    /** Entries sorted by time, largest first. */
    List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        times.forEach((k, t) -> out.add(new Entry(k, t[0], t[1], t[2], flops.getOrDefault(k, 0.0))));
        out.sort((a, b) -> Long.compare(b.nanos(), a.nanos()));
        return out;
    }
}
