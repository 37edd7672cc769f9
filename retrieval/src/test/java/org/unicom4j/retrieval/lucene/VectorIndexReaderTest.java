package org.unicom4j.retrieval.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.ClusteredVectors;

class VectorIndexReaderTest {
    private static final int DIM = 16;
    private static final String MODEL = "unicom-vit-b32-test";
    private static final Vectors DATA = ClusteredVectors.make(11, 60, DIM, 4, 0.3, true);

    @TempDir
    Path dir;

    private static String path(int i) {
        return "images/" + i + ".jpg";
    }

    @Test
    void searchesTheLastCommitWhileAWriterHoldsTheIndex() {
        try (PersistentVectorIndex writer = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false, 1000)) {
            for (int i = 0; i < 30; i++) {
                writer.add(path(i), i % 3, DATA.row(i));
            }
            writer.commit();
            for (int i = 30; i < 60; i++) {
                writer.add(path(i), i % 3, DATA.row(i));
            }
            try (VectorIndexReader reader = VectorIndexReader.open(dir)) {
                assertEquals(new IndexMeta(DIM, MODEL, false), reader.meta());
                assertEquals(30, reader.size(), "only the committed images");
                for (int q : new int[] {0, 17, 29}) {
                    IndexHit best = reader.search(DATA.row(q), 5, 60).get(0);
                    assertEquals(new IndexHit(path(q), q % 3, best.score()), best);
                    assertEquals(1.0, best.score(), 1e-5);
                }
                // An uncommitted image is not there: its nearest committed neighbour comes first instead.
                for (IndexHit hit : reader.search(DATA.row(45), 30)) {
                    int i = Integer.parseInt(hit.path().replaceAll("\\D", ""));
                    assertTrue(i < 30, hit.path());
                }
            }
        }
    }

    @Test
    void givesTheSameHitsAsTheWriterOnACommittedIndex() {
        try (PersistentVectorIndex writer = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, true)) {
            for (int i = 0; i < 60; i++) {
                writer.add(path(i), i % 3, DATA.row(i));
            }
            writer.commit();
            try (VectorIndexReader reader = VectorIndexReader.open(dir)) {
                for (int q = 0; q < 60; q += 7) {
                    assertEquals(writer.search(DATA.row(q), 8, 40), reader.search(DATA.row(q), 8, 40));
                }
            }
        }
    }

    @Test
    void badInputIsRejectedInOneLine() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var noIndex = assertThrows(InvalidInputException.class, () -> VectorIndexReader.open(empty));
        assertTrue(noIndex.getMessage().contains("no Lucene index"), noIndex.getMessage());
        assertThrows(InvalidInputException.class, () -> VectorIndexReader.open(dir.resolve("missing")));
        PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false).close();
        VectorIndexReader reader = VectorIndexReader.open(dir);
        var wrongDim = assertThrows(IllegalArgumentException.class, () -> reader.search(new float[DIM + 1], 1));
        assertTrue(wrongDim.getMessage().contains("dim " + (DIM + 1)), wrongDim.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reader.search(DATA.row(0), 5, 4));
        assertEquals(0, reader.search(DATA.row(0), 5).size());
        reader.close();
        var closed = assertThrows(IllegalStateException.class, () -> reader.search(DATA.row(0), 1));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }
}
