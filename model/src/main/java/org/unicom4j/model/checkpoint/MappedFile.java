package org.unicom4j.model.checkpoint;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A whole file mapped read-only into one shared arena, so tensors can be views of it without a copy, plus that
 * arena for the few buffers a reader must allocate (inflated zip entries). Closing unmaps; closing twice is
 * harmless, because several {@link StateDict} views (prefix-stripped copies) share one mapping.
 */
final class MappedFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment contents;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MappedFile(Path path, Arena arena, MemorySegment contents) {
        this.path = path;
        this.arena = arena;
        this.contents = contents;
    }

    static MappedFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            MemorySegment contents = size == 0 ? arena.allocate(0)
                    : channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return new MappedFile(path, arena, contents);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    MemorySegment contents() {
        return contents;
    }

    /** Native memory that lives, and is freed, with the mapping. */
    MemorySegment allocate(long bytes) {
        return arena.allocate(bytes, 8);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            arena.close();
        }
    }
}
