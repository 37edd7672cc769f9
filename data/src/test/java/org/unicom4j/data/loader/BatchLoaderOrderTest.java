package org.unicom4j.data.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unicom4j.data.augment.TrainAugmentation;
import org.unicom4j.data.dataset.IdxImageDataset;
import org.unicom4j.data.idx.IdxFiles;
import org.unicom4j.data.image.EvalPreprocessor;
import org.unicom4j.data.image.Normalization;

/** Batch order, sizes, contents and reproducibility, on a generated IDX data set whose image i is flat at i. */
class BatchLoaderOrderTest {
    private static final int N = 23;

    @TempDir
    Path dir;
    private IdxImageDataset dataset;

    @BeforeEach
    void makeDataset() throws IOException {
        byte[] px = new byte[N * 5 * 6];
        byte[] labels = new byte[N];
        for (int i = 0; i < N; i++) {
            Arrays.fill(px, i * 30, (i + 1) * 30, (byte) (10 * i));
            labels[i] = (byte) (i % 4);
        }
        dataset = IdxImageDataset.read(
                IdxFiles.write(dir.resolve("img"), IdxFiles.bytes(0x08, new int[] {N, 5, 6}, px), false),
                IdxFiles.write(dir.resolve("lab"), IdxFiles.bytes(0x08, new int[] {N}, labels), true));
    }

    private static List<Batch> all(BatchLoader loader, int epoch) {
        List<Batch> out = new ArrayList<>();
        try (EpochIterator it = loader.epoch(epoch)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void unshuffledBatchesFollowTheDatasetWithAShortLastBatch() {
        EvalPreprocessor eval = new EvalPreprocessor(4, Normalization.unit(1));
        try (BatchLoader loader = BatchLoader.builder(dataset, eval).batchSize(5).shuffle(false).build()) {
            List<Batch> batches = all(loader, 0);
            assertEquals(5, loader.batchesPerEpoch());
            assertEquals(List.of(5, 5, 5, 5, 3), batches.stream().map(Batch::size).toList());
            Batch last = batches.get(4);
            assertArrayEquals(new int[] {20, 21, 22}, last.indices());
            assertArrayEquals(new int[] {0, 1, 2}, last.labels());
            assertEquals(3 * 16, last.images().length);
            // Image 21 is flat at 210: every one of its 16 floats is 210 / 255.
            for (int k = 16; k < 32; k++) {
                assertEquals(210 / 255f, last.images()[k]);
            }
            assertEquals(4, last.number());
        }
    }

    @Test
    void dropLastDropsTheShortBatch() {
        EvalPreprocessor eval = new EvalPreprocessor(4, Normalization.unit(1));
        try (BatchLoader loader = BatchLoader.builder(dataset, eval).batchSize(5).dropLast(true).build()) {
            assertEquals(4, all(loader, 0).size());
        }
    }

    @Test
    void shuffledEpochsArePermutationsThatDifferFromEachOther() {
        EvalPreprocessor eval = new EvalPreprocessor(4, Normalization.unit(1));
        try (BatchLoader loader = BatchLoader.builder(dataset, eval).batchSize(4).seed(7).build()) {
            int[] e0 = all(loader, 0).stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
            int[] e1 = all(loader, 1).stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
            assertArrayEquals(range(N), Arrays.stream(e0).sorted().toArray());
            assertArrayEquals(range(N), Arrays.stream(e1).sorted().toArray());
            assertFalse(Arrays.equals(e0, e1));
            assertFalse(Arrays.equals(e0, range(N)));
            assertArrayEquals(EpochOrder.order(N, 7, 1, true), e1);
        }
    }

    @Test
    void sameSeedGivesIdenticalAugmentedBatchesWhateverTheThreading() {
        TrainAugmentation aug = new TrainAugmentation(
                org.unicom4j.data.augment.RandomResizedCrop.standard(4), 0.5,
                org.unicom4j.data.augment.RandAugment.timm(9, 0.5), Normalization.unit(1),
                new org.unicom4j.data.augment.RandomErasing(0.25, org.unicom4j.data.augment.RandomErasing.Mode.PIXEL));
        List<Batch> a;
        List<Batch> b;
        List<Batch> c;
        try (BatchLoader one = BatchLoader.builder(dataset, aug).batchSize(3).seed(99).threads(1).prefetch(1).build();
             BatchLoader many = BatchLoader.builder(dataset, aug).batchSize(3).seed(99).threads(3).prefetch(6).build();
             BatchLoader other = BatchLoader.builder(dataset, aug).batchSize(3).seed(100).threads(2).build()) {
            a = all(one, 2);
            b = all(many, 2);
            c = all(other, 2);
        }
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).indices(), b.get(i).indices());
            assertArrayEquals(a.get(i).labels(), b.get(i).labels());
            assertArrayEquals(a.get(i).images(), b.get(i).images());
        }
        assertFalse(Arrays.equals(a.get(0).indices(), c.get(0).indices()));
    }

    @Test
    void closingEarlyStopsCleanly() {
        EvalPreprocessor eval = new EvalPreprocessor(4, Normalization.unit(1));
        try (BatchLoader loader = BatchLoader.builder(dataset, eval).batchSize(2).prefetch(3).build()) {
            try (EpochIterator it = loader.epoch(0)) {
                assertTrue(it.hasNext());
                it.next();
            }
            assertEquals(12, all(loader, 1).size(), "the loader still works after an epoch was abandoned");
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    @Test
    void closingEndsTheWorkerThreadsEvenMidEpoch() {
        EvalPreprocessor eval = new EvalPreprocessor(4, Normalization.unit(1));
        try (BatchLoader loader = BatchLoader.builder(dataset, eval).batchSize(2).threads(3).prefetch(4).build()) {
            EpochIterator it = loader.epoch(0);
            it.next(); // the others are being built or queued
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("batch-loader-") && t.isAlive()));
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("batch-loader-") && t.isAlive()), "a loader thread outlived close");
    }
}
