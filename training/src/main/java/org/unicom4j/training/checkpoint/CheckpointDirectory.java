package org.unicom4j.training.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of one run: {@code step-000001234.safetensors} files in one folder, ordered by step. After each
 * new checkpoint is committed the oldest are deleted down to {@code keep}, so a crash at any moment leaves at
 * least one complete checkpoint once the first has been written.
 */
public final class CheckpointDirectory {
    private static final Pattern NAME = Pattern.compile("step-(\\d{9,})\\.safetensors");

    private final Path folder;
    private final int keep;

    public CheckpointDirectory(Path folder, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoints to keep must be >= 1, got " + keep);
        }
        this.folder = folder;
        this.keep = keep;
    }

    public Path folder() {
        return folder;
    }

    /** Where the checkpoint after global step {@code step} goes. */
    public Path fileFor(long step) {
        return folder.resolve(String.format("step-%09d.safetensors", step));
    }

    /** Complete checkpoints, oldest first (temporary files of interrupted writes are not listed). */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Long.compare(step(a), step(b))).toList();
        }
    }

    /** The newest checkpoint, if any. */
    public Optional<Path> latest() throws IOException {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** Deletes all but the newest {@code keep} checkpoints. */
    public void prune() throws IOException {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    /** Deletes every checkpoint in the folder (a fresh run's start). */
    public void clear() throws IOException {
        for (Path p : list()) {
            Files.deleteIfExists(p);
        }
    }

    /** Creates the folder if needed. */
    public void create() throws IOException {
        Files.createDirectories(folder);
    }

    static long step(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file + ": not a checkpoint name (step-NNNNNNNNN.safetensors)");
        }
        return Long.parseLong(m.group(1));
    }
}
