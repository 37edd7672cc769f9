package org.unicom4j.training.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.loader.EpochOrder;

/**
 * Batches built ahead are the batches a plain loop builds (the epoch order, then each image with its
 * (seed, epoch, index) generator, one after the other), for any depth, thread count and sequence of requested
 * steps, including jumps (a restored position) and epoch boundaries; a failure surfaces on the step that needs
 * the batch and names the lowest failing item; closing stops every thread.
 */
class BatchPrefetcherTest {
    private static final int BATCH = 16;
    private static final long STEPS_PER_EPOCH = 3;
    private static final long TOTAL = 9;
    private static final long SHUFFLE = 11;
    private static final long AUGMENT = 12;

    private static BatchPrefetcher prefetcher(TrainingImages images, Prefetch prefetch) {
        return new BatchPrefetcher(images, BATCH, 1, STEPS_PER_EPOCH, TOTAL, SHUFFLE, AUGMENT, prefetch);
    }

    /** The batch of {@code step} as the trainer assembled it before prefetching: sequentially, in one thread. */
    private static float[] plainImages(TrainingImages images, long step, int[] labelsOut) {
        int epoch = (int) (step / STEPS_PER_EPOCH);
        int[] order = EpochOrder.order(images.count(), SHUFFLE, epoch, true);
        int first = (int) (step % STEPS_PER_EPOCH) * BATCH;
        int floats = images.channels() * images.size() * images.size();
        float[] out = new float[BATCH * floats];
        for (int i = 0; i < BATCH; i++) {
            int index = order[first + i];
            images.copyImage(index, out, i * floats, EpochOrder.itemRandom(AUGMENT, epoch, index));
            labelsOut[i] = images.label(index);
        }
        return out;
    }

    private static void assertPlainBatch(TrainingImages images, long step, HostBatch batch, String what) {
        int[] labels = new int[BATCH];
        float[] expected = plainImages(images, step, labels);
        assertEquals(step, batch.step(), what);
        assertArrayEquals(expected, batch.images(), what + ": images of step " + step);
        assertArrayEquals(labels, batch.labels(), what + ": labels of step " + step);
    }

    @Test
    void batchesEqualThePlainLoopsForAnyDepthAndThreads() {
        InMemoryImages images = TinyTraining.images(3, 56); // 56 = 3 batches + 8 dropped images per epoch
        long[] steps = {0, 1, 2, 3, 4, 7, 8, 2, 3, 0, 5, 6}; // a run, a jump ahead, jumps back (restores), the end
        for (Prefetch p : new Prefetch[] {Prefetch.OFF, new Prefetch(1, 1), new Prefetch(3, 1), new Prefetch(2, 4),
                new Prefetch(16, 3)}) {
            try (BatchPrefetcher prefetcher = prefetcher(images, p)) {
                for (long s : steps) {
                    assertPlainBatch(images, s, prefetcher.take(s), p.toString());
                }
            }
        }
    }

    /** Two views per item: the item's two draws from its one generator, one after the other, for any threads. */
    @Test
    void twoViewsOfAnItemAreConsecutiveDrawsOfItsGenerator() {
        InMemoryImages images = TinyTraining.images(6, 56);
        int floats = 64;
        for (Prefetch p : new Prefetch[] {Prefetch.OFF, new Prefetch(2, 3)}) {
            try (BatchPrefetcher prefetcher = new BatchPrefetcher(images, BATCH, 2, STEPS_PER_EPOCH, TOTAL, SHUFFLE,
                    AUGMENT, p)) {
                for (long step : new long[] {0, 4}) {
                    HostBatch batch = prefetcher.take(step);
                    int epoch = (int) (step / STEPS_PER_EPOCH);
                    int[] order = EpochOrder.order(images.count(), SHUFFLE, epoch, true);
                    float[] expected = new float[2 * BATCH * floats];
                    for (int i = 0; i < BATCH; i++) {
                        int index = order[(int) (step % STEPS_PER_EPOCH) * BATCH + i];
                        RandomGenerator random = EpochOrder.itemRandom(AUGMENT, epoch, index);
                        images.copyImage(index, expected, 2 * i * floats, random);
                        images.copyImage(index, expected, (2 * i + 1) * floats, random);
                        assertEquals(images.label(index), batch.labels()[i]);
                    }
                    assertArrayEquals(expected, batch.images(), p + ": step " + step);
                }
            }
        }
    }

    @Test
    void aDiscardedQueueIsRebuiltForTheNewPosition() {
        InMemoryImages images = TinyTraining.images(4, 56);
        try (BatchPrefetcher prefetcher = prefetcher(images, new Prefetch(3, 2))) {
            assertPlainBatch(images, 1, prefetcher.take(1), "first");
            prefetcher.discard();
            assertPlainBatch(images, 2, prefetcher.take(2), "after discard, the next step");
            prefetcher.discard();
            assertPlainBatch(images, 6, prefetcher.take(6), "after discard, another epoch");
        }
    }

    @Test
    void aFailureIsThrownByTheTakeOfItsStepNamingTheLowestFailingItem() {
        InMemoryImages images = TinyTraining.images(3, 56);
        int[] order = EpochOrder.order(56, SHUFFLE, 1, true);
        int lowest = order[BATCH + 4]; // step 4 = epoch 1, batch 1: items 4 and 11 fail
        FailingImages failing = new FailingImages(images, Set.of(lowest, order[BATCH + 11]));
        for (Prefetch p : new Prefetch[] {Prefetch.OFF, new Prefetch(1, 1), new Prefetch(4, 4)}) {
            try (BatchPrefetcher prefetcher = prefetcher(failing, p)) {
                // (epoch 0 holds the bad images too, at other places: start at epoch 1)
                assertPlainBatch(images, 3, prefetcher.take(3), p + " before the failure, building step 4 ahead");
                for (int attempt = 0; attempt < 3; attempt++) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> prefetcher.take(4), p.toString());
                    assertEquals("image " + lowest + " is not an image", e.getMessage(), p + " attempt " + attempt);
                }
                assertPlainBatch(images, 5, prefetcher.take(5), p + " after the failure");
            }
        }
    }

    @Test
    void anErrorIsRethrownAsItIs() {
        OutOfMemoryError oom = new OutOfMemoryError("test");
        InMemoryImages images = TinyTraining.images(3, 56);
        TrainingImages throwing = new TrainingImages() {
            @Override
            public int count() {
                return images.count();
            }

            @Override
            public int channels() {
                return 1;
            }

            @Override
            public int size() {
                return images.size();
            }

            @Override
            public int label(int index) {
                return 0;
            }

            @Override
            public void copyImage(int index, float[] dst, int offset, RandomGenerator augment) {
                throw oom;
            }
        };
        try (BatchPrefetcher prefetcher = prefetcher(throwing, new Prefetch(2, 2))) {
            assertSame(oom, assertThrows(OutOfMemoryError.class, () -> prefetcher.take(0)));
        }
    }

    @Test
    void threadsStartWithTheFirstBatchAndEndOnClose() {
        InMemoryImages images = TinyTraining.images(3, 56);
        BatchPrefetcher prefetcher = prefetcher(images, new Prefetch(2, 3));
        assertEquals(0, prefetcher.liveWorkers(), "none before the first batch");
        prefetcher.take(0);
        assertEquals(3, prefetcher.liveWorkers());
        prefetcher.close();
        assertEquals(0, prefetcher.liveWorkers());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("batch-prefetch-") && t.isAlive()), "no thread left");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> prefetcher.take(1));
        assertEquals("the trainer is closed", e.getMessage());
    }

    @Test
    void stepsOutsideTheRunAreRefused() {
        try (BatchPrefetcher prefetcher = prefetcher(TinyTraining.images(3, 56), Prefetch.DEFAULT)) {
            assertThrows(IllegalArgumentException.class, () -> prefetcher.take(TOTAL));
            assertThrows(IllegalArgumentException.class, () -> prefetcher.take(-1));
        }
    }
}
