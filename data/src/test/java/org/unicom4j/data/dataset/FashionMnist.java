package org.unicom4j.data.dataset;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where tests find Fashion-MNIST: the Debian package dataset-fashion-mnist, which CI installs. Missing files fail
 * the test under CI=true and skip it, with the reason, elsewhere.
 */
public final class FashionMnist {
    public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnist() {
    }

    /** The gzipped IDX file {@code name}, or a skip/failure saying how to install it. */
    public static Path file(String name) {
        Path f = DIR.resolve(name);
        if (!Files.isRegularFile(f)) {
            String why = f + " is missing: install the Debian package dataset-fashion-mnist";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return f;
    }
}
