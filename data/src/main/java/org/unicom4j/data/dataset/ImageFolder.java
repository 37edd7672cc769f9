package org.unicom4j.data.dataset;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.unicom4j.data.InvalidInputException;

/**
 * torchvision's {@code ImageFolder}: each sub-directory of the root is a class (sorted by name, index = position),
 * its image files at any depth are the class's items (sorted by directory, then file name). Only files with an
 * image extension count, as in torchvision; symbolic links are followed.
 */
public final class ImageFolder {
    /** torchvision's IMG_EXTENSIONS. */
    static final Set<String> EXTENSIONS = Set.of(".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff",
            ".webp");

    private ImageFolder() {
    }

    public static FileImageDataset read(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "ImageFolder root is not a directory");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
        if (classDirs.isEmpty()) {
            throw new InvalidInputException(root + ": no class directories; expected root/<class>/<image>");
        }
        List<String> names = new ArrayList<>();
        List<LabeledFile> items = new ArrayList<>();
        for (Path dir : classDirs) {
            int label = names.size();
            names.add(dir.getFileName().toString());
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
                files = s.filter(Files::isRegularFile).filter(ImageFolder::isImage)
                        .sorted(Comparator.comparing((Path p) -> dir.relativize(p.getParent()).toString())
                                .thenComparing(p -> p.getFileName().toString()))
                        .toList();
            }
            for (Path f : files) {
                items.add(new LabeledFile(f, label));
            }
        }
        if (items.isEmpty()) {
            throw new InvalidInputException(root + ": no image files (" + String.join(" ", EXTENSIONS.stream()
                    .sorted().toList()) + ") under its " + names.size() + " class directories");
        }
        return new FileImageDataset(items, names);
    }

    static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot));
    }
}
