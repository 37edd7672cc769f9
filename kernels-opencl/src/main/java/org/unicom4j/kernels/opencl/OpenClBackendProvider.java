package org.unicom4j.kernels.opencl;

import java.util.List;
import java.util.Optional;
import org.unicom4j.kernels.Backend;
import org.unicom4j.kernels.DeviceException;
import org.unicom4j.kernels.spi.BackendProvider;

/**
 * Provides {@code opencl}: available where an OpenCL library and a device are present; {@code auto} prefers
 * it over the CPU backend only when one of the devices is a GPU (PoCL on the CPU is slower than {@code cpu}).
 */
public final class OpenClBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            return OpenClDevice.list().isEmpty() ? Optional.of(ClPlatforms.noDeviceReason()) : Optional.empty();
        } catch (DeviceException | LinkageError e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public int autoPreference() {
        try {
            List<OpenClDevice> devices = OpenClDevice.list();
            return devices.stream().anyMatch(d -> d.kind() == OpenClDevice.Kind.GPU) ? 100 : 0;
        } catch (DeviceException | LinkageError e) {
            return 0;
        }
    }

    @Override
    public Backend open() {
        return OpenClBackend.open();
    }
}
