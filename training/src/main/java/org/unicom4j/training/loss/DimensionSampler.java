package org.unicom4j.training.loss;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Draws the feature dimensions one step uses (spec unicom.md section 3, step 2): one uniform random subset of
 * d' of the De dimensions, shared by every sample and class, returned ascending. d' = De keeps them all.
 */
public final class DimensionSampler {
    private final int embDim;
    private final int sampledDims;
    private final int[] pool;
    private final int[] chosen;

    public DimensionSampler(int embDim, int sampledDims) {
        if (sampledDims <= 0 || sampledDims > embDim) {
            throw new IllegalArgumentException("sampled dims d' must be in [1, " + embDim + "], got " + sampledDims);
        }
        this.embDim = embDim;
        this.sampledDims = sampledDims;
        this.pool = new int[embDim];
        this.chosen = new int[sampledDims];
        for (int d = 0; d < embDim; d++) {
            pool[d] = d;
        }
        System.arraycopy(pool, 0, chosen, 0, sampledDims);
    }

    /**
     * Draws a new subset (partial Fisher-Yates) unless every dimension is kept; returns it ascending. The pool
     * starts from the identity each time, so the subset depends on the generator alone (a resumed run, whose
     * sampler is new, draws the same subsets as one that never stopped).
     */
    public int[] sample(RandomGenerator random) {
        if (sampledDims == embDim) {
            return chosen;
        }
        for (int d = 0; d < embDim; d++) {
            pool[d] = d;
        }
        for (int i = 0; i < sampledDims; i++) {
            int j = i + random.nextInt(embDim - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        System.arraycopy(pool, 0, chosen, 0, sampledDims);
        Arrays.sort(chosen);
        return chosen;
    }

    public int sampledDims() {
        return sampledDims;
    }

    public int embDim() {
        return embDim;
    }
}
