package org.unicom4j.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a folder with everything under it (a writer's temporary folder, a stale output it replaces). */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes {@code path} and, if it is a folder, everything under it; nothing if it does not exist. */
    public static void deleteIfExists(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
