package org.unicom4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelLoopTest {
    private static final long HEAVY = 1L << 20;

    @Test
    void everyIndexRunsExactlyOnceOnSeveralThreads() {
        ParallelLoop loop = new ParallelLoop(3);
        try {
            for (int n : new int[] {1, 2, 3, 7, 1000}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                loop.forRange(n, HEAVY, (from, to) -> {
                    threads.add(Thread.currentThread());
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, seen.get(i), "n = " + n + ", index " + i);
                }
                assertEquals(Math.min(n, 3), threads.size(), "n = " + n + ": one chunk per thread");
                assertTrue(threads.contains(Thread.currentThread()), "the caller runs a chunk");
            }
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void aFailingChunkIsRethrownAfterTheOthersEnd() {
        ParallelLoop loop = new ParallelLoop(2);
        try {
            AtomicIntegerArray done = new AtomicIntegerArray(2);
            IllegalArgumentException thrown = new IllegalArgumentException("bad chunk");
            var e = assertThrows(IllegalArgumentException.class, () -> loop.forRange(2, HEAVY, (from, to) -> {
                if (from == 1) {
                    throw thrown; // on the worker
                }
                sleep(50);
                done.set(from, 1);
            }));
            assertSame(thrown, e);
            assertEquals(1, done.get(0), "the caller's chunk finished before the rethrow");
            // The loop is still usable afterwards.
            AtomicIntegerArray seen = new AtomicIntegerArray(10);
            loop.forRange(10, HEAVY, (from, to) -> {
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 10; i++) {
                assertEquals(1, seen.get(i));
            }
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void nestedAndConcurrentCallsRunInlineInsteadOfDeadlocking() throws Exception {
        ParallelLoop loop = new ParallelLoop(2);
        try {
            AtomicIntegerArray inner = new AtomicIntegerArray(2 * 8);
            loop.forRange(2, HEAVY, (from, to) -> loop.forRange(8, HEAVY, (a, b) -> {
                for (int i = a; i < b; i++) {
                    inner.incrementAndGet(from * 8 + i);
                }
            }));
            for (int i = 0; i < 16; i++) {
                assertEquals(1, inner.get(i), "nested index " + i);
            }
            CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
            Thread other = new Thread(() -> loop.forRange(2, HEAVY, (from, to) -> {
                started.countDown();
                await(release);
            }));
            other.start();
            started.await();
            Set<Thread> ran = ConcurrentHashMap.newKeySet();
            loop.forRange(4, HEAVY, (from, to) -> ran.add(Thread.currentThread()));
            assertEquals(Set.of(Thread.currentThread()), ran, "workers busy: this call ran inline");
            release.countDown();
            other.join();
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void aHandOffAllocatesNothing() {
        ParallelLoop loop = new ParallelLoop(2);
        try {
            float[] sink = new float[2];
            ParallelLoop.Range body = (from, to) -> sink[from] += 1f;
            for (int i = 0; i < 20_000; i++) {
                loop.forRange(2, HEAVY, body);
            }
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                loop.forRange(2, HEAVY, body);
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            assertEquals(0, bytes, "bytes allocated by 1000 hand-offs on the calling thread");
            assertEquals(21_000f, sink[0]);
            assertEquals(21_000f, sink[1]);
        } finally {
            loop.shutdown();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
