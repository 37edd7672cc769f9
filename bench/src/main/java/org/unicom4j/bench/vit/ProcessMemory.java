package org.unicom4j.bench.vit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set (peak and current, from /proc/self/status) and the heap's peak use, in MiB. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** VmHWM: the peak resident set of this process. */
    static double peakRssMib() {
        return status("VmHWM:");
    }

    static double rssMib() {
        return status("VmRSS:");
    }

    /** Sum over heap pools of their peak use since start (or the last reset). */
    static double heapPeakMib() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / (1024.0 * 1024.0);
    }

    private static double status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
