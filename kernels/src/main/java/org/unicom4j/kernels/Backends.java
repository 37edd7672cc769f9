package org.unicom4j.kernels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.unicom4j.kernels.spi.BackendProvider;

/**
 * Opens a backend by name. The backends are the {@link BackendProvider}s on the class path ({@code cpu} and
 * {@code reference} in this module, {@code opencl} in unicom4j-kernels-opencl), found through
 * {@link ServiceLoader}.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());

    private Backends() {
    }

    /**
     * The named backend, or for {@code auto} the available backend {@code auto} prefers (an OpenCL GPU if
     * present, else cpu), logging the choice in one line. An unknown name is an {@link IllegalArgumentException},
     * a backend unavailable here a {@link DeviceException}; both messages list the names that are available.
     */
    public static Backend open(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        List<BackendProvider> providers = providers();
        if (wanted.equals("auto")) {
            return openAuto(providers);
        }
        BackendProvider provider = providers.stream().filter(p -> p.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backend '" + name + "'; "
                        + describe(providers)));
        Optional<String> unavailable = provider.unavailableReason();
        if (unavailable.isPresent()) {
            throw new DeviceException("backend '" + wanted + "' is unavailable: " + unavailable.get() + "; "
                    + describe(providers.stream().filter(p -> p != provider).toList()));
        }
        return provider.open();
    }

    /** The names of the backends on the class path, with auto, e.g. {@code [cpu, opencl, reference, auto]}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(providers().stream().map(BackendProvider::name).toList());
        names.add("auto");
        return names;
    }

    private static Backend openAuto(List<BackendProvider> providers) {
        List<BackendProvider> candidates = providers.stream().filter(p -> p.autoPreference() > 0)
                .sorted(Comparator.comparingInt(BackendProvider::autoPreference).reversed()).toList();
        for (BackendProvider p : candidates) {
            try {
                Backend chosen = p.open();
                LOG.info("backend auto -> " + chosen.description());
                return chosen;
            } catch (DeviceException e) {
                // a GPU that fails to open leaves the CPU: warn and go on to the next preference
                LOG.warning("backend auto: " + p.name() + " failed to open: " + e.getMessage());
            }
        }
        throw new DeviceException("backend auto: no backend could be opened; " + describe(providers));
    }

    private static String describe(List<BackendProvider> providers) {
        String available = providers.stream().filter(p -> p.unavailableReason().isEmpty()).map(BackendProvider::name)
                .collect(Collectors.joining(", "));
        String unavailable = providers.stream().filter(p -> p.unavailableReason().isPresent())
                .map(p -> p.name() + ": " + p.unavailableReason().get()).collect(Collectors.joining("; "));
        return "available: " + available + ", auto" + (unavailable.isEmpty() ? "" : " (unavailable: " + unavailable
                + ")");
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> out = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(out::add);
        out.sort(Comparator.comparing(BackendProvider::name));
        return out;
    }
}
