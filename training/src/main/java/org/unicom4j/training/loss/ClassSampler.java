package org.unicom4j.training.loss;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Chooses the prototypes one step trains against (spec unicom.md section 3, step 1): with n = int(rate * C)
 * and P the sorted unique labels of the batch, keep P plus n - |P| uniformly drawn negatives when n >= |P|,
 * else only P; indices ascending, labels remapped into them. Buffers are allocated once, so a step allocates
 * nothing.
 */
public final class ClassSampler {
    private final int classes;
    private final int target;
    private final int[] sampled;
    private final int[] remapped;
    private final int[] position;
    private final boolean[] taken;
    private int count;

    /**
     * @param classes  C, the number of prototypes
     * @param rate     class sampling rate r in (0, 1]; 1 keeps every class
     * @param maxBatch the largest batch that will be sampled
     */
    public ClassSampler(int classes, double rate, int maxBatch) {
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be > 0, got " + classes);
        }
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("class sampling rate must be in (0, 1], got " + rate);
        }
        this.classes = classes;
        this.target = (int) (rate * classes); // int() truncation as in the reference
        int capacity = Math.max(target, Math.min(classes, maxBatch));
        this.sampled = new int[capacity];
        this.remapped = new int[maxBatch];
        this.position = new int[classes];
        this.taken = new boolean[classes];
    }

    /** Samples for one step; afterwards {@link #sampledClasses()} and {@link #remappedLabels()} hold the result. */
    public void sample(int[] labels, int batch, RandomGenerator random) {
        if (batch > remapped.length) {
            throw new IllegalArgumentException("batch " + batch + " exceeds the sampler's maximum " + remapped.length);
        }
        count = 0;
        for (int i = 0; i < batch; i++) {
            int y = labels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label[" + i + "] = " + y + " is outside [0, " + classes + ")");
            }
            if (!taken[y]) {
                taken[y] = true;
                sampled[count++] = y;
            }
        }
        if (target >= count) {
            addNegatives(target - count, random);
        }
        Arrays.sort(sampled, 0, count);
        for (int j = 0; j < count; j++) {
            position[sampled[j]] = j;
            taken[sampled[j]] = false;
        }
        for (int i = 0; i < batch; i++) {
            remapped[i] = position[labels[i]];
        }
    }

    /** Uniform negatives without replacement: rejection while sparse, a scan over the rest when dense. */
    private void addNegatives(int needed, RandomGenerator random) {
        int free = classes - count;
        if (needed >= free) {
            for (int c = 0; c < classes; c++) {
                if (!taken[c]) {
                    taken[c] = true;
                    sampled[count++] = c;
                }
            }
            return;
        }
        if (needed <= free / 2) {
            while (needed > 0) {
                int c = random.nextInt(classes);
                if (!taken[c]) {
                    taken[c] = true;
                    sampled[count++] = c;
                    needed--;
                }
            }
            return;
        }
        // Selection sampling (Knuth's algorithm S) over the free classes: each kept with the right odds.
        int seen = 0;
        for (int c = 0; c < classes && needed > 0; c++) {
            if (taken[c]) {
                continue;
            }
            if (random.nextInt(free - seen) < needed) {
                sampled[count++] = c;
                needed--;
                taken[c] = true;
            }
            seen++;
        }
    }

    public int classes() {
        return classes;
    }

    /** Number of classes sampled by the last {@link #sample} call. */
    public int sampledCount() {
        return count;
    }

    /** Sampled class indices, ascending, valid up to {@link #sampledCount()}. */
    public int[] sampledClasses() {
        return sampled;
    }

    /** Labels of the last batch as positions in {@link #sampledClasses()}. */
    public int[] remappedLabels() {
        return remapped;
    }

    /** The largest number of classes a step can sample (sizes device buffers). */
    public int capacity() {
        return sampled.length;
    }
}
