package org.unicom4j.data.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file written under a temporary name next to its target and renamed over it only by {@link #commit()}, after an
 * fsync; closing without committing deletes the temporary file. Readers therefore see the old file or the complete
 * new one, never a half-written one, even if the process dies mid-write.
 */
public final class AtomicFile implements AutoCloseable {
    /** Writes the whole content of a file into its channel. */
    @FunctionalInterface
    public interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private boolean done;

    private AtomicFile(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /** Writes {@code target} atomically with {@code body}; on any failure the target is left as it was. */
    public static void write(Path target, Body body) throws IOException {
        try (AtomicFile file = create(target)) {
            body.writeTo(file.channel());
            file.commit();
        }
    }

    public static AtomicFile create(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        return new AtomicFile(target, temp, channel);
    }

    public FileChannel channel() {
        return channel;
    }

    /** Flushes the data to the device, then renames the temporary file over the target. */
    public void commit() throws IOException {
        if (done) {
            throw new IllegalStateException(target + ": already committed or closed");
        }
        done = true;
        try {
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(temp.getParent());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Discards the temporary file unless {@link #commit()} ran. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            channel.close();
            Files.deleteIfExists(temp);
        }
    }

    /** Makes the rename durable; not every platform lets a directory be opened, so this is best effort. */
    private static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows and some file systems refuse; the rename itself has still happened.
        }
    }
}
