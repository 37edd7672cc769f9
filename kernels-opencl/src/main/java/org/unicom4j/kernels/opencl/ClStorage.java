package org.unicom4j.kernels.opencl;

import org.jocl.CL;
import org.jocl.cl_mem;

/**
 * One cl_mem allocation shared by a buffer and its views. Views are (storage, element offset) pairs passed
 * to kernels as two arguments, not sub-buffers, whose origins would have to meet the device's alignment.
 */
final class ClStorage {
    private cl_mem mem;
    private final long elements;

    ClStorage(cl_mem mem, long elements) {
        this.mem = mem;
        this.elements = elements;
    }

    /** The cl_mem; throws once released so a stale view fails loudly instead of reaching the driver. */
    cl_mem mem() {
        cl_mem m = mem;
        if (m == null) {
            throw new IllegalStateException("opencl buffer of " + elements + " elements has been closed");
        }
        return m;
    }

    boolean isReleased() {
        return mem == null;
    }

    /** Releases the cl_mem (kernels already queued keep it alive until they finish); idempotent. */
    void release() {
        cl_mem m = mem;
        mem = null;
        if (m != null) {
            ClCheck.check("clReleaseMemObject(" + elements + " elements)", CL.clReleaseMemObject(m));
        }
    }
}
