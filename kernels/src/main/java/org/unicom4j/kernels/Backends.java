package org.unicom4j.kernels;

import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import org.unicom4j.kernels.cpu.CpuBackend;
import org.unicom4j.kernels.opencl.OpenClBackend;

/** Opens a backend by name: {@code cpu}, {@code opencl} or {@code auto}. */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());

    private Backends() {
    }

    /**
     * {@code cpu}: the Vector API backend on all cores. {@code opencl}: the first OpenCL device, GPUs first
     * (throws IllegalStateException naming what is missing when there is none). {@code auto}: an OpenCL GPU
     * if one is present, else cpu; the choice is logged in one line.
     */
    public static Backend open(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu" -> new CpuBackend();
            case "opencl" -> OpenClBackend.open();
            case "auto" -> {
                Optional<Backend> gpu = OpenClBackend.openGpu();
                Backend chosen = gpu.isPresent() ? gpu.get() : new CpuBackend();
                LOG.info("backend auto -> " + chosen.description());
                yield chosen;
            }
            default -> throw new IllegalArgumentException("unknown backend '" + name + "', expected cpu, opencl or auto");
        };
    }
}
