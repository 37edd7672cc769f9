package org.unicom4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unicom4j.kernels.TestBackends;

/** Program builds, their failure messages, and OpenCL status names (package-private parts of the backend). */
class ClContextTest {

    private static OpenClDevice device() {
        return ((OpenClBackend) TestBackends.get("opencl")).device();
    }

    @Test
    void aBrokenProgramReportsTheCompilersBuildLog() {
        ClContext context = ClContext.acquire(device());
        try {
            OpenClException e = assertThrows(OpenClException.class, () -> context.build("broken.cl",
                    "__kernel void broken(__global float* x) { x[0] = no_such_variable; }", ""));
            String message = e.getMessage();
            assertTrue(message.startsWith(
                    "clBuildProgram(broken.cl, options '') failed: CL_BUILD_PROGRAM_FAILURE (-11)"), message);
            assertTrue(message.contains("no_such_variable"), "the build log is missing: " + message);
            assertEquals(-11, e.errorCode());
        } finally {
            context.release();
        }
    }

    @Test
    void statusCodesAreNamed() {
        assertEquals("CL_OUT_OF_RESOURCES (-5)", ClCheck.name(-5));
        OpenClException e = assertThrows(OpenClException.class, () -> ClCheck.check("clFinish(queue)", -36));
        assertEquals("clFinish(queue) failed: CL_INVALID_COMMAND_QUEUE (-36)", e.getMessage());
        ClCheck.check("clFinish(queue)", 0);
    }

    @Test
    void oneContextPerDeviceAndOneBuildPerProgram() {
        ClContext first = ClContext.acquire(device()), second = ClContext.acquire(device());
        try {
            assertSame(first, second);
            assertSame(first.program("", "rows.cl", "reductions.cl"), second.program("", "rows.cl", "reductions.cl"));
            long builds = ClContext.programBuilds();
            first.program("", "rows.cl", "reductions.cl");
            assertEquals(builds, ClContext.programBuilds());
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void aMissingSourceIsNamed() {
        ClContext context = ClContext.acquire(device());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> context.program("", "no_such_file.cl"));
            assertTrue(e.getMessage().contains("no_such_file.cl"), e.getMessage());
        } finally {
            context.release();
        }
    }
}
