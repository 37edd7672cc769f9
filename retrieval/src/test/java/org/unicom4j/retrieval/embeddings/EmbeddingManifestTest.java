package org.unicom4j.retrieval.embeddings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.retrieval.embeddings.ManifestEntry;
import org.unicom4j.data.FileFormatException;

/** Manifests: CSV quoting of awkward paths, JSON lines, and refusing rows out of order. */
class EmbeddingManifestTest {
    private static final List<ManifestEntry> AWKWARD = List.of(
            new ManifestEntry(0, "/data/a,b/\"quoted\" name.jpg", 3, "class, with comma", "query"),
            new ManifestEntry(1, " /leading space.png", 0, "", ""),
            new ManifestEntry(2, "/plain.png", 12, "plain", "gallery"));

    @Test
    void csvAndJsonLinesRoundTripAwkwardPaths(@TempDir Path dir) throws Exception {
        for (String name : List.of("m.csv", "m.jsonl")) {
            Path file = dir.resolve(name);
            EmbeddingManifest.write(file, AWKWARD);
            assertEquals(AWKWARD, EmbeddingManifest.read(file), name);
        }
        assertTrue(Files.readString(dir.resolve("m.csv")).contains("\"/data/a,b/\"\"quoted\"\" name.jpg\""));
    }

    @Test
    void rowsMustBeNumberedInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.csv");
        Files.writeString(file, "row,path,label,class,split\n0,/a.png,1,x,\n2,/b.png,1,x,\n");
        var e = assertThrows(FileFormatException.class, () -> EmbeddingManifest.read(file));
        assertTrue(e.getMessage().contains("entry 2 has row 2, expected 1"), e.getMessage());
        Files.writeString(file, "path,label\n/a.png,1\n");
        e = assertThrows(FileFormatException.class, () -> EmbeddingManifest.read(file));
        assertTrue(e.getMessage().contains(":1: expected the header 'row,path,label,class,split'"), e.getMessage());
        Files.writeString(file, "row,path,label,class,split\n0,/a.png,one,x,\n");
        e = assertThrows(FileFormatException.class, () -> EmbeddingManifest.read(file));
        assertTrue(e.getMessage().contains(":2: row '0' and label 'one' must be integers"), e.getMessage());
    }
}
