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

    /**
     * Resets the peak resident set (VmHWM) to the current one (Linux >= 4.0: "5" into /proc/self/clear_refs), so
     * that {@link #peakRssMib()} counts only what follows; false if refused.
     */
    static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** VmHWM: the peak resident set of this process (since start or {@link #resetPeakRss()}). */
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
