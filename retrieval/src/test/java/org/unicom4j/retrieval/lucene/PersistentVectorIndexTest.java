package org.unicom4j.retrieval.lucene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.retrieval.Neighbours;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.index.ClusteredVectors;
import org.unicom4j.retrieval.index.HostExactSearch;
import org.unicom4j.retrieval.index.Similarity;

class PersistentVectorIndexTest {
    private static final int DIM = 16;
    private static final String MODEL = "unicom-vit-b32-test";

    @TempDir
    Path dir;

    private static final Vectors DATA = ClusteredVectors.make(7, 40, DIM, 4, 0.3, true);

    private static String path(int i) {
        return "images/" + i + ".jpg";
    }

    private static void addRows(PersistentVectorIndex index, int from, int to) {
        for (int i = from; i < to; i++) {
            index.add(path(i), i % 5, DATA.row(i));
        }
    }

    @Test
    void addedImagesAreFoundWithTheirLabelAndInnerProductScore() {
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false)) {
            addRows(index, 0, 10);
            assertEquals(10, index.size());
            assertTrue(index.contains(path(3)));
            assertFalse(index.contains(path(30)));
            List<IndexHit> hits = index.search(DATA.row(3), 3);
            assertEquals(3, hits.size());
            assertEquals(new IndexHit(path(3), 3, hits.get(0).score()), hits.get(0));
            assertEquals(1.0, hits.get(0).score(), 1e-5);
            for (IndexHit hit : hits) {
                int i = Integer.parseInt(hit.path().replaceAll("\\D", ""));
                double dot = 0;
                for (int j = 0; j < DIM; j++) {
                    dot += (double) DATA.data()[3 * DIM + j] * DATA.data()[i * DIM + j];
                }
                assertEquals(dot, hit.score(), 1e-5, hit.path());
                assertEquals(i % 5, hit.label());
            }
            assertEquals(10, index.search(DATA.row(0), 50).size());
        }
    }

    @Test
    void deletedImagesDisappearFromSearchAndSize() {
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false)) {
            addRows(index, 0, 10);
            index.commit();
            assertTrue(index.delete(path(4)));
            assertFalse(index.delete(path(4)));
            assertFalse(index.delete("never/added.jpg"));
            assertEquals(9, index.size());
            assertFalse(index.contains(path(4)));
            assertTrue(index.search(DATA.row(4), 10).stream().noneMatch(h -> h.path().equals(path(4))));
            index.add(path(4), 1, DATA.row(4));
            assertEquals(new IndexHit(path(4), 1, index.search(DATA.row(4), 1).get(0).score()),
                    index.search(DATA.row(4), 1).get(0));
        }
    }

    @Test
    void closeCommitsAndReopeningSeesTheSameImages() {
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false)) {
            addRows(index, 0, 12);
            index.delete(path(0));
        }
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false)) {
            assertEquals(11, index.size());
            assertFalse(index.contains(path(0)));
            assertTrue(index.contains(path(11)));
            assertEquals(path(7), index.search(DATA.row(7), 1).get(0).path());
            addRows(index, 12, 20);
            assertEquals(19, index.size());
        }
        assertEquals(new IndexMeta(DIM, MODEL, false), PersistentVectorIndex.readMeta(dir));
    }

    @Test
    void aCrashLosesOnlyTheChangesSinceTheLastAutomaticCommit() {
        PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false, 5);
        addRows(index, 0, 13);
        index.rollback();
        assertThrows(IllegalStateException.class, () -> index.add(path(20), 0, DATA.row(20)));
        try (PersistentVectorIndex reopened = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false, 5)) {
            assertEquals(10, reopened.size());
            assertTrue(reopened.contains(path(9)));
            assertFalse(reopened.contains(path(10)));
            addRows(reopened, 10, 13);
            assertEquals(13, reopened.size());
        }
    }

    @Test
    void forceMergeLeavesOneSegmentWithTheSameImages() {
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false, 10)) {
            addRows(index, 0, 40);
            index.delete(path(15));
            assertTrue(index.segments() > 1, "segments " + index.segments());
            index.forceMerge();
            assertEquals(1, index.segments());
            assertEquals(39, index.size());
            assertEquals(path(33), index.search(DATA.row(33), 1).get(0).path());
            assertEquals(39, index.search(DATA.row(0), 100, 100).size());
        }
    }

    /** Searches started together right after a merge must all see the merged index, none the old reader. */
    @Test
    void concurrentSearchesAfterChangesSeeThem() throws Exception {
        Vectors many = ClusteredVectors.make(9, 2000, DIM, 20, 0.3, true);
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false)) {
            index.search(many.row(0), 1);
            for (int round = 0; round < 3; round++) {
                for (int i = round * 600; i < (round + 1) * 600; i++) {
                    index.add(Integer.toString(i), 0, many.row(i));
                }
                index.forceMerge();
                int last = (round + 1) * 600 - 1;
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
                try {
                    List<java.util.concurrent.Future<List<IndexHit>>> results = new java.util.ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        results.add(pool.submit(() -> index.search(many.row(last), 3)));
                    }
                    for (java.util.concurrent.Future<List<IndexHit>> r : results) {
                        assertEquals(Integer.toString(last), r.get().get(0).path());
                    }
                } finally {
                    pool.shutdown();
                }
            }
        }
    }

    @Test
    void aCrashBeforeTheFirstAddLeavesAnEmptyIndexWithItsMeta() {
        PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, true).rollback();
        assertEquals(new IndexMeta(DIM, MODEL, true), PersistentVectorIndex.readMeta(dir));
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, true)) {
            assertEquals(0, index.size());
            assertTrue(index.search(DATA.row(0), 5).isEmpty());
        }
    }

    @Test
    void openingWithAnotherDimOrModelFailsNamingBoth() {
        PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false).close();
        var dim = assertThrows(InvalidInputException.class,
                () -> PersistentVectorIndex.openOrCreate(dir, 32, MODEL, false));
        assertTrue(dim.getMessage().contains("dim " + DIM) && dim.getMessage().contains("dim 32"), dim.getMessage());
        var model = assertThrows(InvalidInputException.class,
                () -> PersistentVectorIndex.openOrCreate(dir, DIM, "other-model", false));
        assertTrue(model.getMessage().contains("'" + MODEL + "'") && model.getMessage().contains("'other-model'"),
                model.getMessage());
        assertThrows(InvalidInputException.class, () -> PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, true));
        // the failed opens released the lock
        PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false).close();
    }

    @Test
    void badInputIsRejected() {
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false)) {
            index.add(path(0), 0, DATA.row(0));
            assertThrows(InvalidInputException.class, () -> index.add(path(0), 0, DATA.row(1)));
            assertThrows(IllegalArgumentException.class, () -> index.add(path(1), 0, new float[DIM + 1]));
            float[] notUnit = DATA.row(1);
            notUnit[0] += 0.5f;
            assertThrows(IllegalArgumentException.class, () -> index.add(path(1), 0, notUnit));
            assertThrows(IllegalArgumentException.class, () -> index.search(notUnit, 3));
            assertThrows(IllegalArgumentException.class, () -> index.search(DATA.row(0), 0));
            assertThrows(InvalidInputException.class, () -> PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false));
            assertEquals(1, index.size());
        }
        assertThrows(InvalidInputException.class, () -> PersistentVectorIndex.readMeta(dir.resolve("missing")));
        assertThrows(InvalidInputException.class,
                () -> PersistentVectorIndex.openOrCreate(dir.resolve("big"), 4096, MODEL, false));
    }

    @Test
    void storedPicturesAndLabelsAreReadBackUncommittedAndAfterReopening() {
        byte[] picture = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false)) {
            index.add(path(1), 4, DATA.row(1), picture);
            index.add(path(2), 3, DATA.row(2));
            IndexEntry one = index.get(path(1)).orElseThrow();
            assertEquals(path(1), one.path());
            assertEquals(4, one.label());
            assertArrayEquals(picture, one.picture());
            assertNull(index.get(path(2)).orElseThrow().picture());
            assertTrue(index.get(path(3)).isEmpty());
        }
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false)) {
            assertArrayEquals(picture, index.get(path(1)).orElseThrow().picture());
            assertTrue(index.delete(path(1)));
            assertTrue(index.get(path(1)).isEmpty());
        }
    }

    @Test
    void pathsPageThroughTheIndexInSortedOrder() {
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false)) {
            addRows(index, 0, 12);
            index.delete(path(5));
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                if (i != 5) {
                    all.add(path(i));
                }
            }
            Collections.sort(all);
            assertEquals(all, index.paths(0, 100));
            assertEquals(all.subList(4, 8), index.paths(4, 4));
            assertEquals(List.of(), index.paths(11, 4));
            assertThrows(IllegalArgumentException.class, () -> index.paths(-1, 4));
        }
    }

    @Test
    void readsRunWhileOneThreadAddsAndCommitsAndSeeEveryAddThatReturned() throws Exception {
        int n = 400;
        Vectors rows = ClusteredVectors.make(3, n, DIM, 8, 0.3, true);
        AtomicInteger done = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, DIM, MODEL, false, 50)) {
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    while (done.get() < n && failure.get() == null) {
                        int seen = done.get();
                        if (seen == 0) {
                            continue;
                        }
                        String last = path(seen - 1);
                        if (!index.contains(last) || index.get(last).isEmpty() || index.size() < seen
                                || index.search(rows.row(seen - 1), 3).size() < Math.min(3, seen)) {
                            failure.compareAndSet(null, "after " + seen + " adds a read missed " + last);
                        }
                    }
                }));
            }
            for (int i = 0; i < n; i++) {
                index.add(path(i), i % 5, rows.row(i));
                done.incrementAndGet();
            }
            for (Thread t : readers) {
                t.join();
            }
            assertNull(failure.get(), failure.get());
            assertEquals(n, index.size());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void hnswRecallAt10AgainstExactSearchIsAtLeast90Percent(boolean quantized) {
        int n = 3000, dim = 64, queries = 100, k = 10;
        Vectors gallery = ClusteredVectors.make(11, n, dim, 30, 0.5, true);
        Vectors query = ClusteredVectors.make(11, n + queries, dim, 30, 0.5, true);
        Vectors q = new Vectors(java.util.Arrays.copyOfRange(query.data(), n * dim, (n + queries) * dim), queries, dim);
        Neighbours exact = new HostExactSearch().search(q, gallery, k, Similarity.INNER_PRODUCT);
        int[][] found = new int[queries][];
        // commits every 1000 adds, so the search spans several segments (one HNSW graph each)
        try (PersistentVectorIndex index = PersistentVectorIndex.openOrCreate(dir, dim, MODEL, quantized)) {
            for (int i = 0; i < n; i++) {
                index.add(Integer.toString(i), 0, gallery.row(i));
            }
            for (int i = 0; i < queries; i++) {
                found[i] = index.search(q.row(i), k).stream().mapToInt(h -> Integer.parseInt(h.path())).toArray();
            }
        }
        double recall = ClusteredVectors.recall(found, exact, k);
        assertTrue(recall >= 0.9, "recall@10 = " + recall);
    }
}
