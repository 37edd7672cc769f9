package org.unicom4j.kernels;

import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.unicom4j.kernels.spi.BackendProvider;

/**
 * The backends every contract test runs against: the backends on the test class path (found as
 * {@code Backends.open} finds them) except {@code reference}, the oracle they are compared with
 * ({@link #reference()}); or those named in the system property {@code unicom4j.test.backends}
 * (comma-separated), which is how unicom4j-kernels-opencl runs this module's suite on opencl only. Use as
 * {@code @ParameterizedTest @MethodSource("org.unicom4j.kernels.TestBackends#names")} and open the backend with
 * {@link #get(String)}; compare with the reference through {@link ReferenceCheck}. Without an OpenCL platform the opencl cases are skipped with the reason shown, except
 * under {@code CI=true}, where a missing platform fails the test.
 */
public final class TestBackends {
    private static final Map<String, Backend> OPEN = new ConcurrentHashMap<>();

    private TestBackends() {
    }

    public static Stream<String> names() {
        String only = only();
        if (!only.isEmpty()) {
            return Arrays.stream(only.split(",")).map(String::strip);
        }
        return ServiceLoader.load(BackendProvider.class).stream().map(p -> p.get().name())
                .filter(n -> !n.equals("reference")).sorted();
    }

    /**
     * {@link #names()} and {@code reference}: for the checks against ND4J, central differences and hand-computed
     * values, which the oracle must pass too (not with {@code unicom4j.test.backends}, which names its backends).
     */
    public static Stream<String> withReference() {
        return only().isEmpty() ? Stream.concat(names(), Stream.of("reference")) : names();
    }

    /** The shared reference backend, the oracle the others are compared with. */
    public static Backend reference() {
        return get("reference");
    }

    private static String only() {
        return System.getProperty("unicom4j.test.backends", "").strip();
    }

    /** The shared instance of the named backend (opened once per test JVM, closed at exit). */
    public static Backend get(String name) {
        try {
            return OPEN.computeIfAbsent(name, TestBackends::openAndRegister);
        } catch (DeviceException | UnsatisfiedLinkError e) {
            String reason = name + " backend unavailable: " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(reason + " (CI=true: OpenCL tests must run, install pocl-opencl-icd)", e);
            }
            Assumptions.abort(reason);
            throw e; // unreachable
        }
    }

    private static Backend openAndRegister(String name) {
        Backend backend = Backends.open(name);
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
        return backend;
    }
}
