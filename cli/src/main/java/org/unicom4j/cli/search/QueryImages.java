package org.unicom4j.cli.search;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.unicom4j.data.InvalidInputException;

/** The query images named on the command line: files as given, folders as their image files (sorted, at any depth). */
final class QueryImages {
    /** The extensions torchvision's ImageFolder reads (IMG_EXTENSIONS), plus gif. */
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif", "tiff",
            "webp", "gif");

    private QueryImages() {
    }

    static List<Path> expand(List<Path> given) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p, FileVisitOption.FOLLOW_LINKS)) {
                    List<Path> images = files.filter(Files::isRegularFile).filter(QueryImages::isImage).sorted()
                            .toList();
                    if (images.isEmpty()) {
                        throw new InvalidInputException(p + ": no image files (" + String.join(", ",
                                EXTENSIONS.stream().sorted().toList()) + ") in this query folder");
                    }
                    out.addAll(images);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new InvalidInputException(p + ": query image not found");
            }
        }
        return out;
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }
}
