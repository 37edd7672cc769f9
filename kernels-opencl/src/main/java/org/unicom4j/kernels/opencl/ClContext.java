package org.unicom4j.kernels.opencl;

import static org.unicom4j.kernels.opencl.ClCheck.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

/**
 * A cl_context for one device and the programs built in it. Shared by every backend open on the same
 * device (reference counted), so each .cl source is compiled once per context, not once per backend.
 */
final class ClContext {
    private static final Map<String, ClContext> SHARED = new HashMap<>();
    private static final AtomicLong PROGRAM_BUILDS = new AtomicLong();
    private static final String RESOURCE_DIR = "/org/unicom4j/kernels/opencl/";

    final OpenClDevice device;
    final cl_device_id deviceId;
    final cl_context context;
    private final Map<String, cl_program> programs = new HashMap<>();
    private int references;

    private ClContext(OpenClDevice device) {
        this.device = device;
        this.deviceId = ClPlatforms.deviceId(device);
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL.CL_CONTEXT_PLATFORM, ClPlatforms.platformId(device));
        int[] status = new int[1];
        this.context = CL.clCreateContext(properties, 1, new cl_device_id[] {deviceId}, null, null, status);
        check("clCreateContext(" + device.deviceName() + ")", status[0]);
    }

    /** The shared context of {@code device}, created on first use; pair every call with {@link #release()}. */
    static ClContext acquire(OpenClDevice device) {
        synchronized (SHARED) {
            ClContext shared = SHARED.computeIfAbsent(device.platform() + ":" + device.device(),
                    key -> new ClContext(device));
            shared.references++;
            return shared;
        }
    }

    /** Drops one reference; the last one releases the programs and the context. */
    void release() {
        synchronized (SHARED) {
            if (--references > 0) {
                return;
            }
            SHARED.values().remove(this);
            OpenClException failed = null;
            for (Map.Entry<String, cl_program> p : programs.entrySet()) {
                failed = ClCheck.firstFailure(failed, "clReleaseProgram(" + p.getKey().strip() + ")",
                        CL.clReleaseProgram(p.getValue()));
            }
            programs.clear();
            failed = ClCheck.firstFailure(failed, "clReleaseContext(" + device.deviceName() + ")",
                    CL.clReleaseContext(context));
            if (failed != null) {
                throw failed;
            }
        }
    }

    /** Number of programs compiled in this JVM so far (every context together); lets tests see the caching. */
    static long programBuilds() {
        return PROGRAM_BUILDS.get();
    }

    /** The program built from the named resources (concatenated) with {@code options}, compiled on first use. */
    cl_program program(String options, String... resources) {
        String key = String.join("+", resources) + " " + options;
        synchronized (SHARED) {
            cl_program program = programs.get(key);
            if (program == null) {
                StringBuilder source = new StringBuilder();
                for (String resource : resources) {
                    source.append(readResource(resource)).append('\n');
                }
                program = build(String.join("+", resources), source.toString(), options);
                programs.put(key, program);
            }
            return program;
        }
    }

    /** Compiles {@code source}; a failure throws {@link OpenClException} carrying the compiler's build log. */
    cl_program build(String name, String source, String options) {
        int[] status = new int[1];
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, status);
        check("clCreateProgramWithSource(" + name + ")", status[0]);
        int built = CL.clBuildProgram(program, 1, new cl_device_id[] {deviceId}, options, null, null);
        if (built != CL.CL_SUCCESS) {
            String log = buildLog(program);
            CL.clReleaseProgram(program); // the build error is the one worth reporting
            throw new OpenClException("clBuildProgram(" + name + ", options '" + options + "') failed: "
                    + ClCheck.name(built) + "; build log:\n" + log, built);
        }
        PROGRAM_BUILDS.incrementAndGet();
        return program;
    }

    private String buildLog(cl_program program) {
        long[] size = new long[1];
        int status = CL.clGetProgramBuildInfo(program, deviceId, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
        if (status != CL.CL_SUCCESS || size[0] <= 1) {
            return "(no build log: " + ClCheck.name(status) + ")";
        }
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(program, deviceId, CL.CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8).strip();
    }

    private static String readResource(String resource) {
        try (InputStream in = ClContext.class.getResourceAsStream(RESOURCE_DIR + resource)) {
            if (in == null) {
                throw new IllegalStateException("OpenCL source " + RESOURCE_DIR + resource
                        + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read OpenCL source " + RESOURCE_DIR + resource + ": " + e, e);
        }
    }
}
