package org.unicom4j.kernels.opencl;

import java.util.List;
import java.util.Map;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceException;
import org.unicom4j.kernels.spi.BackendKernels;

/**
 * The backend on OpenCL C kernels through JOCL. Each kernel family lives in its own .cl resource, built
 * once per device context (shared by every backend open on that device) with work-group shapes from
 * {@link OpenClTuning}. Buffers are cl_mem allocations; a view is (cl_mem, element offset), passed to
 * kernels as two arguments. Commands go to one in-order queue, so kernels run in call order and a download
 * waits for the work before it. One class per family: {@link ClBuffers}, {@link ClGemm}, {@link ClElementwise}
 * (also AdamW), {@link ClLayers}, {@link ClSearch}, {@link ClPrototypeLosses}, {@link ClQuantisation},
 * {@link ClContrastiveLosses}.
 */
public final class OpenClBackend extends Backend {
    private final OpenClDevice device;
    private final OpenClTuning tuning;
    private final ClContext context;
    private final ClQueue queue;
    private final ClBuffers memory;
    private volatile boolean closed;

    private OpenClBackend(OpenClDevice device, OpenClTuning tuning, boolean profiling) {
        this.device = device;
        this.tuning = tuning;
        this.context = ClContext.acquire(device);
        String options;
        try {
            options = tuning.buildOptions() + ClPlatforms.precisionOptions(context.deviceId);
            this.queue = new ClQueue(context, profiling);
        } catch (RuntimeException e) {
            context.release();
            throw e;
        }
        this.memory = new ClBuffers(this, context, queue);
        ClGemm gemm = new ClGemm(memory, queue, tuning, options);
        ClElementwise elementwise = new ClElementwise(queue, tuning, options);
        ClNormalization normalization = new ClNormalization(queue, tuning, options);
        install(new BackendKernels(memory, gemm, elementwise, new ClLayers(elementwise, normalization, gemm),
                new ClSearch(new ClReductions(queue, tuning, options), gemm, memory), elementwise,
                new ClPrototypeLosses(new ClSampledCosine(queue, gemm, tuning, options),
                        new ClMarginSoftmax(queue, tuning, options), memory),
                new ClQuantisation(queue, tuning, options, memory),
                new ClContrastiveLosses(queue, tuning, options, memory)));
    }

    /**
     * The first GPU of any platform, else the first device of any kind. Throws {@link DeviceException}
     * saying what is missing (the OpenCL library, any platform, any device) when there is none.
     */
    public static OpenClBackend open() {
        List<OpenClDevice> devices = OpenClDevice.list();
        if (devices.isEmpty()) {
            throw new DeviceException(ClPlatforms.noDeviceReason());
        }
        return open(OpenClDevice.preferred(devices));
    }

    /** A backend on {@code device} with the work-group shapes suited to its type. */
    public static OpenClBackend open(OpenClDevice device) {
        return open(device, OpenClTuning.forDevice(device), false);
    }

    /**
     * A backend on {@code device} with explicit work-group shapes; with {@code profiling}, every launch is
     * timed on the device (see {@link #kernelTimes()}).
     */
    public static OpenClBackend open(OpenClDevice device, OpenClTuning tuning, boolean profiling) {
        return new OpenClBackend(device, tuning, profiling);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String description() {
        String shapes = tuning.localTiles() ? "local-memory tiles" : "packed register blocks";
        return "opencl: " + device.summary() + ", " + shapes;
    }

    public OpenClDevice device() {
        return device;
    }

    public OpenClTuning tuning() {
        return tuning;
    }

    /** Summed device time per kernel since opening, as of the last {@link #finish()}; empty unless profiling. */
    public Map<String, KernelTime> kernelTimes() {
        KernelProfile profile = queue.profile();
        return profile == null ? Map.of() : profile.totals();
    }

    /** Profiling events not yet read and released (0 after {@link #finish()}). */
    public int pendingEvents() {
        KernelProfile profile = queue.profile();
        return profile == null ? 0 : profile.pendingEvents();
    }

    /** Programs compiled in this JVM so far by every OpenCL backend together (they are cached per device). */
    public static long programBuilds() {
        return ClContext.programBuilds();
    }

    @Override
    public void finish() {
        queue.finish();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // every release is attempted; the first failure is reported once nothing is left to leak
        RuntimeException failed = memory.releaseAll(null);
        failed = attempt(failed, queue::release);
        failed = attempt(failed, context::release);
        if (failed != null) {
            throw failed;
        }
    }

    private static RuntimeException attempt(RuntimeException failed, Runnable release) {
        try {
            release.run();
            return failed;
        } catch (RuntimeException e) {
            return failed == null ? e : failed;
        }
    }
}
