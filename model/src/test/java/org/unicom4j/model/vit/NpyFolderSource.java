package org.unicom4j.model.vit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.unicom4j.data.npy.NpyArray;

/** A folder of {@code <key>.npy} files (as tools/make_vit_fixtures.py writes them) read as a state dict. */
final class NpyFolderSource implements TensorSource {
    private final Path dir;
    private final Set<String> keys = new LinkedHashSet<>();

    NpyFolderSource(Path dir) {
        this.dir = dir;
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted()
                    .forEach(n -> keys.add(n.substring(0, n.length() - 4)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(Path file) {
        return read(file).toFloats();
    }

    static NpyArray read(Path file) {
        try {
            return NpyArray.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<String> keys() {
        return keys;
    }

    @Override
    public long[] shape(String key) {
        return read(dir.resolve(key + ".npy")).shape();
    }

    @Override
    public float[] floats(String key) {
        return floats(dir.resolve(key + ".npy"));
    }
}
