package org.unicom4j.training.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassSamplerTest {

    @Test
    void keepsPositivesAddsNegativesSortedAndRemaps() {
        ClassSampler sampler = new ClassSampler(1000, 0.1, 8);
        int[] labels = {917, 3, 3, 500, 42, 917, 999, 0};
        sampler.sample(labels, labels.length, new SplittableRandom(1));
        int n = sampler.sampledCount();
        assertEquals(100, n, "n = int(0.1 * 1000)");
        int[] idx = Arrays.copyOf(sampler.sampledClasses(), n);
        for (int j = 1; j < n; j++) {
            assertTrue(idx[j] > idx[j - 1], "ascending and distinct");
        }
        for (int i = 0; i < labels.length; i++) {
            assertEquals(labels[i], idx[sampler.remappedLabels()[i]], "label " + i + " remaps to its class");
        }
    }

    @Test
    void fewerSlotsThanPositivesKeepsOnlyPositives() {
        ClassSampler sampler = new ClassSampler(100, 0.02, 6);
        int[] labels = {50, 7, 99, 7, 1, 64};
        sampler.sample(labels, 6, new SplittableRandom(2));
        assertArrayEquals(new int[] {1, 7, 50, 64, 99}, Arrays.copyOf(sampler.sampledClasses(), sampler.sampledCount()));
        assertArrayEquals(new int[] {2, 1, 4, 1, 0, 3}, Arrays.copyOf(sampler.remappedLabels(), 6));
    }

    @Test
    void rateOneKeepsEveryClass() {
        ClassSampler sampler = new ClassSampler(37, 1.0, 4);
        sampler.sample(new int[] {5, 5, 36, 0}, 4, new SplittableRandom(3));
        assertEquals(37, sampler.sampledCount());
        for (int j = 0; j < 37; j++) {
            assertEquals(j, sampler.sampledClasses()[j]);
        }
        assertArrayEquals(new int[] {5, 5, 36, 0}, Arrays.copyOf(sampler.remappedLabels(), 4));
    }

    @Test
    void negativesAreUniform() {
        // Class 0 is always positive; each of the 9 others should be drawn with probability 4/9 (dense path).
        ClassSampler sampler = new ClassSampler(10, 0.5, 1);
        int[] hits = new int[10];
        SplittableRandom random = new SplittableRandom(4);
        int trials = 90_000;
        for (int t = 0; t < trials; t++) {
            sampler.sample(new int[] {0}, 1, random);
            for (int j = 0; j < sampler.sampledCount(); j++) {
                hits[sampler.sampledClasses()[j]]++;
            }
        }
        assertEquals(trials, hits[0]);
        for (int c = 1; c < 10; c++) {
            assertEquals(4.0 / 9, hits[c] / (double) trials, 0.01, "class " + c);
        }
    }

    @Test
    void rejectsBadLabels() {
        ClassSampler sampler = new ClassSampler(10, 0.5, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> sampler.sample(new int[] {3, 10}, 2, new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("label[1] = 10"), e.getMessage());
    }

    @Test
    void dimensionSubsetsAreSortedDistinctAndVary() {
        DimensionSampler dims = new DimensionSampler(768, 512);
        SplittableRandom random = new SplittableRandom(5);
        int[] first = dims.sample(random).clone();
        int[] second = dims.sample(random).clone();
        for (int[] d : new int[][] {first, second}) {
            assertEquals(512, d.length);
            for (int t = 1; t < d.length; t++) {
                assertTrue(d[t] > d[t - 1]);
            }
            assertTrue(d[0] >= 0 && d[511] < 768);
        }
        assertTrue(!Arrays.equals(first, second), "a new subset each step");
    }
}
