package org.unicom4j.cli.options;

import org.unicom4j.data.InvalidInputException;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.Backends;
import picocli.CommandLine.Option;

/** {@code --backend cpu|opencl|reference|auto}: where the compute runs. */
public final class BackendOption {

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "NAME",
            description = "cpu, opencl, reference (scalar double-precision loops, the test oracle: slow) or auto (an "
                    + "OpenCL GPU if there is one, else cpu) (default: ${DEFAULT-VALUE})")
    String name = "auto";

    /**
     * Opens the chosen backend. An unknown name is the user's mistake ({@link InvalidInputException}); an unavailable
     * backend (no OpenCL platform) is a DeviceException; both messages list the available ones.
     */
    public Backend open() {
        try {
            return Backends.open(name);
        } catch (IllegalArgumentException e) { // Backends.open's one argument check: the name
            throw new InvalidInputException("--backend " + name + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }
}
