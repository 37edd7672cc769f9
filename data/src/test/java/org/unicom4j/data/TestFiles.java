package org.unicom4j.data;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates committed test resources as files (they live in target/test-classes when tests run). */
public final class TestFiles {
    private TestFiles() {
    }

    public static Path resource(String name) {
        URL url = TestFiles.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing from the classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
