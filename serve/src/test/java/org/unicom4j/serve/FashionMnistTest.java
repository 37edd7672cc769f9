package org.unicom4j.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.unicom4j.data.dataset.IdxImageDataset;

/** Debian's Fashion-MNIST test split (dataset-fashion-mnist): skipped where it is missing, except under CI. */
final class FashionMnistTest {
    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnistTest() {
    }

    /** The 10,000 test images and their labels. */
    static IdxImageDataset images() throws IOException {
        Path images = DIR.resolve("t10k-images-idx3-ubyte.gz");
        if (!Files.isRegularFile(images)) {
            String reason = "Fashion-MNIST is not installed at " + DIR;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason + " (CI installs dataset-fashion-mnist)");
            }
            Assumptions.abort(reason);
        }
        return IdxImageDataset.read(images, DIR.resolve("t10k-labels-idx1-ubyte.gz"));
    }
}
