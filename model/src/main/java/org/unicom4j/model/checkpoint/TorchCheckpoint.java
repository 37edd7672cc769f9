package org.unicom4j.model.checkpoint;

import java.nio.file.Path;

/**
 * Everything a {@code torch.save} file holds, unpickled to plain Java objects (see {@link Unpickler}) with
 * tensors as {@link HostTensor} views of the memory-mapped file. Close it to unmap the file, unless
 * {@link #stateDict()} has been called: the state dict then owns the mapping.
 */
public final class TorchCheckpoint implements AutoCloseable {
    private final Path file;
    private final Object root;
    private final MappedFile mapping;

    TorchCheckpoint(Path file, Object root, MappedFile mapping) {
        this.file = file;
        this.root = root;
        this.mapping = mapping;
    }

    public Path file() {
        return file;
    }

    /** The unpickled object: usually a {@code Map<String, HostTensor>}, or a dict holding one. */
    public Object root() {
        return root;
    }

    /** The state dict inside, as {@link TorchCheckpointReader#read} finds it; it shares this mapping. */
    public StateDict stateDict() {
        return TorchCheckpointReader.stateDictOf(file, root, mapping);
    }

    MappedFile mapping() {
        return mapping;
    }

    @Override
    public void close() {
        mapping.close();
    }
}
