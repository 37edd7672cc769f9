package org.unicom4j.kernels.opencl;

import static org.unicom4j.kernels.opencl.ClCheck.check;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.unicom4j.kernels.DeviceException;

/** Enumerates platforms and devices and reads their properties. */
final class ClPlatforms {
    /** clGetPlatformIDs' answer, through the ICD loader, when no platform is installed. */
    private static final int PLATFORM_NOT_FOUND_KHR = -1001;

    private ClPlatforms() {
    }

    static List<OpenClDevice> devices() {
        List<OpenClDevice> out = new ArrayList<>();
        cl_platform_id[] platforms = platformIds();
        for (int p = 0; p < platforms.length; p++) {
            cl_device_id[] devices = deviceIds(platforms[p]);
            String platformName = platformString(platforms[p], CL.CL_PLATFORM_NAME);
            for (int d = 0; d < devices.length; d++) {
                out.add(describe(p, d, platformName, devices[d]));
            }
        }
        return out;
    }

    /** The platform and device handles of a device found by {@link #devices()}. */
    static cl_device_id deviceId(OpenClDevice device) {
        cl_platform_id[] platforms = platformIds();
        if (device.platform() >= platforms.length) {
            throw new IllegalArgumentException("OpenCL platform #" + device.platform() + " is gone; "
                    + platforms.length + " platform(s) present");
        }
        cl_device_id[] devices = deviceIds(platforms[device.platform()]);
        if (device.device() >= devices.length) {
            throw new IllegalArgumentException("OpenCL device #" + device.device() + " of platform '"
                    + device.platformName() + "' is gone; " + devices.length + " device(s) present");
        }
        return devices[device.device()];
    }

    /** Why {@link #devices()} is empty: no platform installed, or platforms without devices. */
    static String noDeviceReason() {
        List<String> platforms = platformNames();
        return platforms.isEmpty()
                ? "no OpenCL platform is installed (the ICD loader found none; install a GPU driver or pocl-opencl-icd)"
                : "the OpenCL platform(s) " + platforms + " expose no device";
    }

    static List<String> platformNames() {
        List<String> names = new ArrayList<>();
        for (cl_platform_id id : platformIds()) {
            names.add(platformString(id, CL.CL_PLATFORM_NAME));
        }
        return names;
    }

    /**
     * Build options that keep single-precision division and sqrt correctly rounded where the device can
     * (OpenCL C otherwise allows 2.5 and 3 ulp), so results track the CPU references more closely.
     */
    static String precisionOptions(cl_device_id id) {
        long config = deviceLong(id, CL.CL_DEVICE_SINGLE_FP_CONFIG);
        return (config & CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0 ? " -cl-fp32-correctly-rounded-divide-sqrt" : "";
    }

    static cl_platform_id platformId(OpenClDevice device) {
        return platformIds()[device.platform()];
    }

    private static cl_platform_id[] platformIds() {
        int[] count = new int[1];
        int status;
        try {
            status = CL.clGetPlatformIDs(0, null, count);
        } catch (LinkageError | RuntimeException e) {
            throw new DeviceException("no OpenCL library could be loaded (libOpenCL.so / OpenCL.dll; install an "
                    + "ICD loader and a driver, e.g. ocl-icd-libopencl1 and pocl-opencl-icd): " + e.getMessage(), e);
        }
        if (status == PLATFORM_NOT_FOUND_KHR || count[0] == 0) {
            return new cl_platform_id[0];
        }
        check("clGetPlatformIDs", status);
        cl_platform_id[] ids = new cl_platform_id[count[0]];
        check("clGetPlatformIDs", CL.clGetPlatformIDs(ids.length, ids, null));
        return ids;
    }

    private static cl_device_id[] deviceIds(cl_platform_id platform) {
        int[] count = new int[1];
        int status = CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, count);
        if (status == CL.CL_DEVICE_NOT_FOUND || count[0] == 0) {
            return new cl_device_id[0];
        }
        check("clGetDeviceIDs", status);
        cl_device_id[] ids = new cl_device_id[count[0]];
        check("clGetDeviceIDs", CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null));
        return ids;
    }

    private static OpenClDevice describe(int p, int d, String platformName, cl_device_id id) {
        long type = deviceLong(id, CL.CL_DEVICE_TYPE);
        OpenClDevice.Kind kind = (type & CL.CL_DEVICE_TYPE_GPU) != 0 ? OpenClDevice.Kind.GPU
                : (type & CL.CL_DEVICE_TYPE_CPU) != 0 ? OpenClDevice.Kind.CPU : OpenClDevice.Kind.OTHER;
        return new OpenClDevice(p, d, platformName, deviceString(id, CL.CL_DEVICE_NAME), kind,
                (int) deviceInt(id, CL.CL_DEVICE_MAX_COMPUTE_UNITS), deviceSize(id, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                deviceLong(id, CL.CL_DEVICE_LOCAL_MEM_SIZE), deviceLong(id, CL.CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE));
    }

    private static String platformString(cl_platform_id id, int param) {
        long[] size = new long[1];
        check("clGetPlatformInfo", CL.clGetPlatformInfo(id, param, 0, null, size));
        byte[] bytes = new byte[(int) size[0]];
        check("clGetPlatformInfo", CL.clGetPlatformInfo(id, param, bytes.length, Pointer.to(bytes), null));
        return cString(bytes);
    }

    private static String deviceString(cl_device_id id, int param) {
        long[] size = new long[1];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(id, param, 0, null, size));
        byte[] bytes = new byte[(int) size[0]];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(id, param, bytes.length, Pointer.to(bytes), null));
        return cString(bytes);
    }

    private static long deviceLong(cl_device_id id, int param) {
        long[] value = new long[1];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(id, param, Sizeof.cl_long, Pointer.to(value), null));
        return value[0];
    }

    private static long deviceInt(cl_device_id id, int param) {
        int[] value = new int[1];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(id, param, Sizeof.cl_int, Pointer.to(value), null));
        return value[0];
    }

    private static long deviceSize(cl_device_id id, int param) {
        long[] value = new long[1];
        check("clGetDeviceInfo", CL.clGetDeviceInfo(id, param, Sizeof.size_t, Pointer.to(value), null));
        return value[0];
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
    }
}
