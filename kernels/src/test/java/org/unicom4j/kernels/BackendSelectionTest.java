package org.unicom4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Backends found through ServiceLoader: opening by name, auto, and one-line errors listing what is available. */
class BackendSelectionTest {

    @Test
    void namesListTheProvidersOnTheClassPathAndAuto() {
        assertTrue(Backends.names().containsAll(java.util.List.of("cpu", "reference", "auto")), Backends.names()
                .toString());
    }

    @Test
    void referenceOpensByNameInAnyCaseAndRunsKernels() {
        try (Backend backend = Backends.open("Reference"); DeviceFloats x = backend.buffers().allocFloats(3)) {
            assertEquals("reference", backend.name());
            backend.buffers().fill(x, 2f);
            backend.elementwise().scale(x, 1.5f, 3);
            assertEquals(3f, backend.buffers().download(x)[2]);
        }
    }

    @Test
    void autoNeverChoosesTheReference() {
        try (Backend backend = Backends.open("auto")) {
            assertFalse(backend.name().equals("reference"), backend.description());
        }
    }

    @Test
    void anUnknownNameIsOneLineListingTheAvailableBackends() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("cuda"));
        assertTrue(e.getMessage().startsWith("unknown backend 'cuda'; available: "), e.getMessage());
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("reference")
                && e.getMessage().contains("auto"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
