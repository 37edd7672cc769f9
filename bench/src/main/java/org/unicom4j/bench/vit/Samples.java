package org.unicom4j.bench.vit;

import java.util.Arrays;

/** Wall and CPU times (ns) of the repeated steps of one contender; summaries skip the warm-up steps. */
final class Samples {
    private final String name;
    private final long[] wall;
    private final long[] cpu;
    private int count;

    Samples(String name, int capacity) {
        this.name = name;
        this.wall = new long[capacity];
        this.cpu = new long[capacity];
    }

    String name() {
        return name;
    }

    void add(long wallNs, long cpuNs) {
        wall[count] = wallNs;
        cpu[count] = cpuNs;
        count++;
    }

    /** Minimum wall time in ms over the steps from {@code skip} on. */
    double wallMinMs(int skip) {
        return sorted(wall, skip)[0] / 1e6;
    }

    double wallMedianMs(int skip) {
        return median(sorted(wall, skip)) / 1e6;
    }

    double cpuMinMs(int skip) {
        return sorted(cpu, skip)[0] / 1e6;
    }

    double cpuMedianMs(int skip) {
        return median(sorted(cpu, skip)) / 1e6;
    }

    private long[] sorted(long[] x, int skip) {
        if (count <= skip) {
            throw new IllegalStateException(name + ": " + count + " steps measured, none after " + skip + " warm-up");
        }
        long[] s = Arrays.copyOfRange(x, skip, count);
        Arrays.sort(s);
        return s;
    }

    private static double median(long[] s) {
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }
}
