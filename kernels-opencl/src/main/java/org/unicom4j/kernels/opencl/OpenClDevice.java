package org.unicom4j.kernels.opencl;

import java.util.List;

/**
 * One OpenCL device as the driver reports it; {@link #list()} enumerates them all, platform by platform.
 *
 * @param platform         index of the platform in clGetPlatformIDs order
 * @param device           index of the device within its platform
 * @param platformName     CL_PLATFORM_NAME, e.g. "Portable Computing Language"
 * @param deviceName       CL_DEVICE_NAME
 * @param kind             GPU, CPU or OTHER (accelerators and custom devices)
 * @param computeUnits     CL_DEVICE_MAX_COMPUTE_UNITS (cores on a CPU device)
 * @param maxWorkGroupSize CL_DEVICE_MAX_WORK_GROUP_SIZE
 * @param localMemBytes    CL_DEVICE_LOCAL_MEM_SIZE
 * @param globalMemBytes   CL_DEVICE_GLOBAL_MEM_SIZE
 * @param maxAllocBytes    CL_DEVICE_MAX_MEM_ALLOC_SIZE, the largest single buffer
 */
public record OpenClDevice(int platform, int device, String platformName, String deviceName, Kind kind,
                           int computeUnits, long maxWorkGroupSize, long localMemBytes, long globalMemBytes,
                           long maxAllocBytes) {

    /** The device types the backend tunes for. */
    public enum Kind { GPU, CPU, OTHER }

    /**
     * Every device of every platform. Empty when the OpenCL loader finds no platform; throws
     * {@link org.unicom4j.kernels.DeviceException} when no OpenCL library (libOpenCL) can be loaded at all.
     */
    public static List<OpenClDevice> list() {
        return ClPlatforms.devices();
    }

    /** The first GPU in {@code devices}, else the first device; IllegalArgumentException when empty. */
    public static OpenClDevice preferred(List<OpenClDevice> devices) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no OpenCL device to choose from");
        }
        return devices.stream().filter(d -> d.kind() == Kind.GPU).findFirst().orElse(devices.getFirst());
    }

    /** "platform / device (kind, N compute units)", for logs and {@code Backend.description()}. */
    public String summary() {
        return platformName + " / " + deviceName + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", "
                + computeUnits + " compute units, " + (globalMemBytes >> 20) + " MiB)";
    }
}
