package org.unicom4j.kernels.opencl;

import static org.unicom4j.kernels.opencl.ClCheck.check;

import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * A backend's in-order command queue and the kernel objects it launches (one per kernel name and build
 * options; the programs behind them are shared through the {@link ClContext}).
 */
final class ClQueue {
    final ClContext context;
    final cl_command_queue queue;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final KernelProfile profile;

    ClQueue(ClContext context, boolean profiling) {
        this.context = context;
        int[] status = new int[1];
        @SuppressWarnings("deprecation") // clCreateCommandQueueWithProperties needs OpenCL 2.0; 1.2 drivers exist
        cl_command_queue q = CL.clCreateCommandQueue(context.context, context.deviceId,
                profiling ? CL.CL_QUEUE_PROFILING_ENABLE : 0, status);
        check("clCreateCommandQueue(" + context.device.deviceName() + ")", status[0]);
        this.queue = q;
        this.profile = profiling ? new KernelProfile() : null;
    }

    /** A launch of kernel {@code name} from the program built from {@code resources} with {@code options}. */
    ClLaunch launch(String name, String options, String... resources) {
        String key = name + " " + options;
        cl_kernel kernel;
        synchronized (kernels) {
            kernel = kernels.get(key);
            if (kernel == null) {
                cl_program program = context.program(options, resources);
                int[] status = new int[1];
                kernel = CL.clCreateKernel(program, name, status);
                check("clCreateKernel(" + name + ")", status[0]);
                kernels.put(key, kernel);
            }
        }
        return new ClLaunch(this, kernel, name);
    }

    void enqueue(String name, cl_kernel kernel, long[] global, long[] local) {
        cl_event event = profile == null ? null : new cl_event();
        check("clEnqueueNDRangeKernel(" + name + ")",
                CL.clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, event));
        if (event != null) {
            profile.add(name, event);
        }
    }

    void finish() {
        check("clFinish", CL.clFinish(queue));
        if (profile != null) {
            profile.drain();
        }
    }

    /** Kernel timings gathered so far, or null when the queue was not opened for profiling. */
    KernelProfile profile() {
        return profile;
    }

    void release() {
        OpenClException failed = ClCheck.firstFailure(null, "clFinish", CL.clFinish(queue));
        if (profile != null) {
            try {
                profile.drain();
            } catch (OpenClException e) {
                failed = failed == null ? e : failed;
            }
        }
        synchronized (kernels) {
            for (Map.Entry<String, cl_kernel> k : kernels.entrySet()) {
                failed = ClCheck.firstFailure(failed, "clReleaseKernel(" + k.getKey().strip() + ")",
                        CL.clReleaseKernel(k.getValue()));
            }
            kernels.clear();
        }
        failed = ClCheck.firstFailure(failed, "clReleaseCommandQueue", CL.clReleaseCommandQueue(queue));
        if (failed != null) {
            throw failed;
        }
    }
}
