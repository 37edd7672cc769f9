package org.unicom4j.kernels.opencl;

import java.util.ArrayList;
import java.util.List;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;

/**
 * The arguments and work sizes of one kernel launch. Arguments are collected first and set together with
 * the enqueue under the kernel's lock, because a cl_kernel's argument slots are shared state.
 */
final class ClLaunch {
    private record Arg(long size, Pointer value) {
    }

    private final ClQueue queue;
    private final cl_kernel kernel;
    private final String name;
    private final List<Arg> args = new ArrayList<>(24);

    ClLaunch(ClQueue queue, cl_kernel kernel, String name) {
        this.queue = queue;
        this.kernel = kernel;
        this.name = name;
    }

    /** A float view: its cl_mem and its element offset, two arguments. */
    ClLaunch floats(ClFloats buffer) {
        args.add(new Arg(Sizeof.cl_mem, Pointer.to(buffer.storage.mem())));
        return i(buffer.offset);
    }

    /** An int view: its cl_mem and its element offset, two arguments. */
    ClLaunch ints(ClInts buffer) {
        args.add(new Arg(Sizeof.cl_mem, Pointer.to(buffer.storage.mem())));
        return i(buffer.offset);
    }

    ClLaunch i(int value) {
        args.add(new Arg(Sizeof.cl_int, Pointer.to(new int[] {value})));
        return this;
    }

    ClLaunch l(long value) {
        args.add(new Arg(Sizeof.cl_long, Pointer.to(new long[] {value})));
        return this;
    }

    ClLaunch f(float value) {
        args.add(new Arg(Sizeof.cl_float, Pointer.to(new float[] {value})));
        return this;
    }

    /** Enqueues over {@code global} work-items in groups of {@code local}. */
    void run(long[] global, long[] local) {
        synchronized (kernel) {
            for (int a = 0; a < args.size(); a++) {
                Arg arg = args.get(a);
                ClCheck.check("clSetKernelArg(" + name + ", " + a + ")",
                        org.jocl.CL.clSetKernelArg(kernel, a, arg.size, arg.value));
            }
            queue.enqueue(name, kernel, global, local);
        }
    }

    /** One-dimensional launch over {@code n} items, rounded up to whole groups of {@code group}. */
    void run1d(long n, int group) {
        run(new long[] {roundUp(Math.max(n, 1), group)}, new long[] {group});
    }

    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
