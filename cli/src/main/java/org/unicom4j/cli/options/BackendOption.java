package org.unicom4j.cli.options;

import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import picocli.CommandLine.Option;

/** {@code --backend cpu|opencl|reference|auto}: where the compute runs. */
public final class BackendOption {

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "NAME",
            description = "cpu, opencl, reference (scalar double-precision loops, the test oracle: slow) or auto (an "
                    + "OpenCL GPU if there is one, else cpu) (default: ${DEFAULT-VALUE})")
    String name = "auto";

    /** Opens the chosen backend; an unknown or unavailable name is a one-line error listing the available ones. */
    public Backend open() {
        return Backends.open(name);
    }

    public String name() {
        return name;
    }
}
