package org.unicom4j.kernels.opencl;

import static org.unicom4j.kernels.opencl.ClCheck.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Device-side kernel times of a profiling queue. Each launch's event is kept until the next drain (at
 * {@code finish()} or after {@link #MAX_PENDING} launches), read, and released there.
 */
final class KernelProfile {
    private static final int MAX_PENDING = 1024;

    private record Pending(String name, cl_event event) {
    }

    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, KernelTime> totals = new TreeMap<>();

    synchronized void add(String name, cl_event event) {
        pending.add(new Pending(name, event));
        if (pending.size() >= MAX_PENDING) {
            drain();
        }
    }

    /** Waits for every pending event, adds its start-to-end time to its kernel's total and releases it. */
    synchronized void drain() {
        OpenClException failed = null;
        try {
            for (Pending p : pending) {
                check("clWaitForEvents(" + p.name + ")", CL.clWaitForEvents(1, new cl_event[] {p.event}));
                long start = time(p, CL.CL_PROFILING_COMMAND_START), end = time(p, CL.CL_PROFILING_COMMAND_END);
                totals.merge(p.name, new KernelTime(1, end - start), KernelTime::plus);
            }
        } finally {
            for (Pending p : pending) {
                failed = ClCheck.firstFailure(failed, "clReleaseEvent(" + p.name + ")", CL.clReleaseEvent(p.event));
            }
            pending.clear();
        }
        if (failed != null) {
            throw failed;
        }
    }

    synchronized int pendingEvents() {
        return pending.size();
    }

    synchronized Map<String, KernelTime> totals() {
        return new TreeMap<>(totals);
    }

    private static long time(Pending p, int what) {
        long[] value = new long[1];
        check("clGetEventProfilingInfo(" + p.name + ")",
                CL.clGetEventProfilingInfo(p.event, what, Sizeof.cl_ulong, Pointer.to(value), null));
        return value[0];
    }
}
