package org.unicom4j.cli.options;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import picocli.CommandLine.Option;

/** {@code --backend cpu|opencl|auto}: where the compute runs. */
public final class BackendOption {

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "NAME",
            description = "cpu, opencl or auto (an OpenCL GPU if there is one, else cpu) (default: ${DEFAULT-VALUE})")
    String name = "auto";

    /** Opens the chosen backend; an unknown name or a missing OpenCL platform is a one-line error. */
    public Backend open() {
        return Backends.open(name);
    }

    public String name() {
        return name;
    }
}
