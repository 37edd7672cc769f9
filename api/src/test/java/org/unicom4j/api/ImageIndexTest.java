package org.unicom4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.image.ImageDecoder;
import org.unicom4j.retrieval.lucene.VectorIndexReader;

class ImageIndexTest {
    private static ImageEmbedder embedder;

    @TempDir
    Path dir;

    @BeforeAll
    static void openEmbedder() throws Exception {
        embedder = ImageEmbedder.builder().randomWeights("tiny", 21).backend("cpu").maxBatch(8).build();
    }

    @AfterAll
    static void closeEmbedder() {
        embedder.close();
    }

    @Test
    void addedImagesFindThemselvesWithTheirLabelsAndDeletedOnesAreGone() throws Exception {
        Path file = Files.write(dir.resolve("c.png"), TestImages.png(3, 40, 40));
        try (ImageIndex index = ImageIndex.open(dir.resolve("index"), embedder)) {
            index.add("a", 1, TestImages.png(1, 32, 32));
            index.add("b", 2, TestImages.picture(2, 48, 32));
            index.add("c", 3, file);
            assertEquals(3, index.size());
            assertEquals(List.of("a", "b", "c"), index.ids(0, 10));
            List<SearchHit> hits = index.search(TestImages.png(2, 48, 32), 2);
            assertEquals(2, hits.size());
            assertEquals("b", hits.get(0).id());
            assertEquals(2, hits.get(0).label());
            assertEquals(1.0, hits.get(0).score(), 1e-4);
            assertEquals("c", index.search(file, 1).get(0).id());
            assertTrue(index.delete("b"));
            assertFalse(index.delete("b"));
            assertFalse(index.contains("b"));
            assertTrue(index.search(TestImages.png(2, 48, 32), 3).stream().noneMatch(h -> h.id().equals("b")));
            assertEquals(2, index.size());
        }
    }

    @Test
    void everyAddIsOnDiskWhenItReturnsAndTheIndexReopensWithIt() throws Exception {
        Path at = dir.resolve("index");
        try (ImageIndex index = ImageIndex.open(at, embedder)) {
            index.add("a", 1, TestImages.png(1, 32, 32));
            // The last commit on disk, read as another process would read it, while the index is still open.
            try (VectorIndexReader lastCommit = VectorIndexReader.open(at)) {
                assertEquals(1, lastCommit.size());
            }
            index.delete("a");
            try (VectorIndexReader lastCommit = VectorIndexReader.open(at)) {
                assertEquals(0, lastCommit.size());
            }
            index.add("b", 2, TestImages.png(2, 32, 32));
        }
        try (ImageIndex index = ImageIndex.open(at, embedder)) {
            assertEquals(List.of("b"), index.ids(0, 10));
            assertEquals(2, index.get("b").orElseThrow().label());
        }
    }

    @Test
    void addAllAddsEveryImageInOneCommitOrNoneWhenAnIdIsTaken() throws Exception {
        Path at = dir.resolve("index");
        List<LabeledImage> images = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            images.add(new LabeledImage("n" + i, i % 3, ImageDecoder.toPixels(TestImages.picture(300 + i, 32, 32))));
        }
        try (ImageIndex index = ImageIndex.open(at, embedder)) {
            index.addAll(images);
            try (VectorIndexReader lastCommit = VectorIndexReader.open(at)) {
                assertEquals(20, lastCommit.size());
            }
            for (LabeledImage image : images) {
                SearchHit top = index.search(embedder.embed(image.image()), 1).getFirst();
                assertEquals(image.id(), top.id());
                assertEquals(image.label(), top.label());
            }
            List<LabeledImage> clash = List.of(new LabeledImage("fresh", 0, images.get(0).image()), images.get(5));
            assertThrows(InvalidInputException.class, () -> index.addAll(clash));
            List<LabeledImage> twice = List.of(new LabeledImage("x", 0, images.get(0).image()),
                    new LabeledImage("x", 0, images.get(1).image()));
            assertThrows(InvalidInputException.class, () -> index.addAll(twice));
            assertFalse(index.contains("fresh") || index.contains("x"));
            assertEquals(20, index.size());
        }
    }

    @Test
    void anIndexOfAnotherModelIsRefused() throws Exception {
        Path at = dir.resolve("index");
        ImageIndex.open(at, embedder).close();
        try (ImageEmbedder other = ImageEmbedder.builder().randomWeights("tiny", 22).backend("cpu").build()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageIndex.open(at, other));
            assertTrue(e.getMessage().contains(embedder.modelId()), e.getMessage());
        }
    }

    @Test
    void concurrentAddsShareCommitsAndSearchesRunBesideThem() throws Exception {
        int writers = 6, each = 10;
        Path at = dir.resolve("index");
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < writers * each; i++) {
            images.add(TestImages.png(1000 + i, 32, 32));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (ImageIndex index = ImageIndex.open(at, embedder)) {
            index.add("seed", 0, images.getFirst());
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int first = w * each;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = first; i < first + each; i++) {
                            index.add("img-" + i, i % 10, images.get(i));
                            acknowledged.add("img-" + i);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (int s = 0; s < 3; s++) {
                int from = s;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int q = from; q < images.size(); q += 3) {
                            List<String> before = List.copyOf(acknowledged);
                            List<SearchHit> hits = index.search(images.get(q), 5);
                            if (hits.isEmpty() || !(hits.getFirst().score() <= 1.0001f)) {
                                throw new AssertionError("search " + q + ": " + hits);
                            }
                            for (String id : before) {
                                if (!index.contains(id) || index.get(id).isEmpty()) {
                                    throw new AssertionError(id + " was acknowledged but a read misses it");
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertNull(failure.get(), () -> String.valueOf(failure.get()));
            try (VectorIndexReader lastCommit = VectorIndexReader.open(at)) {
                assertEquals(1 + writers * each, lastCommit.size(), "every acknowledged add committed");
            }
            for (int i = 0; i < images.size(); i++) {
                assertEquals("img-" + i, index.search(images.get(i), 1).getFirst().id());
            }
        }
    }

    @Test
    void thumbnailsAreStoredWithImagesOrMadeFromTheFileAVectorsIdNames() throws Exception {
        Path file = Files.write(dir.resolve("big.png"), TestImages.png(5, 300, 200));
        try (ImageIndex index = ImageIndex.open(dir.resolve("index"), embedder)) {
            index.add("stored", 1, TestImages.png(4, 300, 150));
            index.add(file.toString(), 2, embedder.embed(file), null);
            index.add("elsewhere", 3, embedder.embed(file), null);
            BufferedImage stored = ImageIO.read(new ByteArrayInputStream(index.thumbnail("stored").orElseThrow()));
            assertEquals(ImageIndex.THUMBNAIL_SIZE, stored.getWidth());
            assertEquals(ImageIndex.THUMBNAIL_SIZE / 2, stored.getHeight());
            BufferedImage fromFile = ImageIO.read(new ByteArrayInputStream(index.thumbnail(file.toString())
                    .orElseThrow()));
            assertEquals(ImageIndex.THUMBNAIL_SIZE, fromFile.getWidth());
            assertTrue(index.thumbnail("elsewhere").isEmpty(), "no picture stored and no file of that name");
            assertTrue(index.thumbnail("unknown").isEmpty());
            assertArrayEquals(index.thumbnail("stored").orElseThrow(), index.get("stored").orElseThrow().picture());
        }
    }

    @Test
    void badVectorsAndDuplicateIdsAreRefused() throws Exception {
        try (ImageIndex index = ImageIndex.open(dir.resolve("index"), embedder)) {
            index.add("a", 1, TestImages.png(1, 32, 32));
            assertThrows(InvalidInputException.class, () -> index.add("a", 1, TestImages.png(2, 32, 32)));
            assertThrows(InvalidInputException.class, () -> index.add("", 1, new float[32], null));
            assertThrows(InvalidInputException.class, () -> index.search(new float[31], 3));
            assertThrows(InvalidInputException.class, () -> index.search(new float[32], 3));
            float[] nan = new float[32];
            nan[3] = Float.NaN;
            assertThrows(InvalidInputException.class, () -> index.search(nan, 3));
            assertThrows(InvalidInputException.class, () -> index.search(embedder.embed(TestImages.png(1, 32, 32)),
                    0));
            assertEquals(1, index.size());
        }
    }

    @Test
    void aVectorOnlyIndexTakesVectorsAndRefusesImages() {
        try (ImageIndex index = ImageIndex.openVectors(dir.resolve("vectors"), 4, "elsewhere")) {
            index.add("x", 0, new float[] {3, 0, 0, 4}, null);
            List<SearchHit> hits = index.search(new float[] {0.6f, 0, 0, 0.8f}, 1);
            assertEquals("x", hits.getFirst().id());
            assertEquals(1.0, hits.getFirst().score(), 1e-5);
            assertThrows(IllegalStateException.class, () -> index.search(TestImages.png(1, 32, 32), 1));
        }
    }
}
